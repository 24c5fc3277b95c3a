/// The example's topic names, each with an optional prefix (`staging.order_events`), so that several
/// pipelines, or several test runs, can share one cluster.
struct OrderTopics: Sendable {
    let prefix: String

    /// Orders from the gateway, keyed by `order_id`.
    var orderEvents: String { prefix + "order_events" }
    /// Product page views from the gateway, keyed by `product_id`.
    var productViews: String { prefix + "product_views" }
    /// 5-minute windows per product, keyed by `product_id`.
    var orderAggregates: String { prefix + "order_aggregates" }
    /// Revenue spikes per product, keyed by `product_id`.
    var trendAlerts: String { prefix + "trend_alerts" }
}
