import StreamKit

/// The event aggregator: each order exploded into one line per product, re-keyed by `product_id`, and summed in
/// 5-minute tumbling windows (orders, units, revenue) → `order_aggregates`.
enum OrderAggregation {
    static let windowSize: Duration = .seconds(300)
    /// A grace so long that windows close only when a backtest reaches the end of its input (a century).
    static let untilEndOfInput: Duration = .seconds(100 * 365 * 86_400)

    /// Adds the stage to `app` and returns its output frame (already sent to `order_aggregates`).
    ///
    /// - Parameters:
    ///   - grace: How long after its end a window still takes out-of-order orders.
    ///   - closeAfterIdle: Closes every open window after this much wall-clock time without orders.
    static func build(
        in app: StreamApp, options: PipelineOptions, codec: OrderCodec, grace: Duration, closeAfterIdle: Duration?
    ) -> DataFrame<String, OrderAggregate> {
        let streams = OrderStreams(app: app, options: options, codec: codec)
        return app.dataframe(streams.orderEvents)
            .eventTime(\.tsEventMs)
            .flatMap(\.productLines)
            .keyBy(name: "by-product") { $0.productId }
            .tumblingWindow(windowSize, grace: grace, closeAfterIdle: closeAfterIdle, name: "orders-5m")
            .aggregate(into: OrderAggregate.Totals()) { totals, line in totals.add(line) }
            .final()
            .map(OrderAggregate.init)
            .to(streams.orderAggregates)
    }
}
