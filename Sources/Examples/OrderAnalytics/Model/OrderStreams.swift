import StreamKit

/// The example's topics declared on one app, typed, in the chosen value format.
///
/// Declaring a topic registers nothing; only the ones a stage reads or writes become part of its pipeline.
struct OrderStreams {
    let orderEvents: Topic<String, OrderEvent>
    let orderAggregates: Topic<String, OrderAggregate>
    let trendAlerts: Topic<String, TrendAlert>

    init(app: StreamApp, options: PipelineOptions, codec: OrderCodec) {
        let topics = options.topics
        orderEvents = app.topic(
            topics.orderEvents, key: String.self, value: OrderEvent.self,
            format: codec.serde(OrderEvent.self, schema: codec.orderEventSchema, topic: topics.orderEvents),
            partitions: options.partitions)
        orderAggregates = app.topic(
            topics.orderAggregates, key: String.self, value: OrderAggregate.self,
            format: codec.serde(OrderAggregate.self, schema: codec.orderAggregateSchema, topic: topics.orderAggregates),
            partitions: options.partitions)
        trendAlerts = app.topic(
            topics.trendAlerts, key: String.self, value: TrendAlert.self,
            format: codec.serde(TrendAlert.self, schema: codec.trendAlertSchema, topic: topics.trendAlerts),
            partitions: options.partitions)
    }
}
