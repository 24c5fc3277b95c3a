import StreamKit
import StreamKitTimescale

/// The ETL: `order_aggregates` and `trend_alerts` upserted in batches into TimescaleDB hypertables of the same
/// names (1-day chunks, compressed after 7 days, dropped after 90), with the hourly continuous aggregate
/// `order_aggregates_hourly`. On plain PostgreSQL the tables are plain, still upserted, and the skipped
/// features are reported once.
enum OrderWarehouse {
    /// A row of the `order_aggregates` table; the upsert key is (`product_id`, `window_start`).
    struct AggregateRow: Codable, Sendable {
        var productId: String
        var windowStart: EventTime
        var windowEnd: EventTime
        var orderCount: Int
        var units: Int
        var revenue: Double

        init(_ aggregate: OrderAggregate) {
            productId = aggregate.productId
            windowStart = EventTime(milliseconds: aggregate.windowStartMs)
            windowEnd = EventTime(milliseconds: aggregate.windowEndMs)
            orderCount = aggregate.orderCount
            units = aggregate.units
            revenue = aggregate.revenue
        }
    }

    /// A row of the `trend_alerts` table; the upsert key is (`product_id`, `window_start`).
    struct AlertRow: Codable, Sendable {
        var productId: String
        var windowStart: EventTime
        var windowEnd: EventTime
        var revenue: Double
        var baseline: Double
        var ratio: Double
        var severity: String

        init(_ alert: TrendAlert) {
            productId = alert.productId
            windowStart = EventTime(milliseconds: alert.windowStartMs)
            windowEnd = EventTime(milliseconds: alert.windowEndMs)
            revenue = alert.revenue
            baseline = alert.baseline
            ratio = alert.ratio
            severity = alert.severity.rawValue
        }
    }

    static let compression = TimescaleTable.Compression(
        segmentBy: ["product_id"], orderBy: [.descending("window_start")], compressAfter: .seconds(7 * 86_400))
    static let retention: Duration = .seconds(90 * 86_400)

    static func aggregatesTable() throws -> TimescaleTable {
        try TimescaleTable(
            name: "order_aggregates", rowType: AggregateRow.self, upsertKey: ["product_id", "window_start"],
            timeColumn: "window_start", compression: compression, retention: retention,
            continuousAggregates: [
                TimescaleContinuousAggregate(
                    name: "order_aggregates_hourly",
                    query: """
                        SELECT time_bucket('1 hour', window_start) AS bucket, product_id, \
                        sum(order_count) AS order_count, sum(units) AS units, sum(revenue) AS revenue \
                        FROM order_aggregates GROUP BY 1, 2
                        """)
            ])
    }

    static func alertsTable() throws -> TimescaleTable {
        try TimescaleTable(
            name: "trend_alerts", rowType: AlertRow.self, upsertKey: ["product_id", "window_start"],
            timeColumn: "window_start", compression: compression, retention: retention)
    }

    /// The stage's two sinks, made and prepared (tables created) on `connection`.
    struct Sinks {
        let aggregates: TimescaleSink<OrderAggregate>
        let alerts: TimescaleSink<TrendAlert>
        /// What the database could not provide (TimescaleDB features on plain PostgreSQL).
        let skipped: [TimescaleFeature]
    }

    /// Makes the sinks and creates their tables, so a database problem stops the stage at start.
    static func makeSinks(on connection: TimescaleConnection) async throws -> Sinks {
        let aggregates = try TimescaleSink(table: aggregatesTable(), on: connection, row: AggregateRow.init)
        let alerts = try TimescaleSink(table: alertsTable(), on: connection, row: AlertRow.init)
        let skipped = try await aggregates.prepare().skippedFeatures + alerts.prepare().skippedFeatures
        return Sinks(aggregates: aggregates, alerts: alerts, skipped: skipped)
    }

    /// One line on what the database provides, saying once which TimescaleDB features plain PostgreSQL lacks.
    static func describe(_ sinks: Sinks) -> String {
        guard !sinks.skipped.isEmpty else {
            return "database: TimescaleDB hypertables order_aggregates and trend_alerts, hourly continuous aggregate "
                + "order_aggregates_hourly, compression after 7 days, retention 90 days"
        }
        let skipped = Set(sinks.skipped.map(\.name)).sorted().joined(separator: ", ")
        return "database: plain PostgreSQL, tables order_aggregates and trend_alerts upserted; skipped (needs "
            + "TimescaleDB): \(skipped)"
    }

    /// Adds the stage to `app`: both topics into their tables. Returns the two input frames.
    @discardableResult
    static func build(
        in app: StreamApp, options: PipelineOptions, codec: OrderCodec, sinks: Sinks
    ) -> (aggregates: DataFrame<String, OrderAggregate>, alerts: DataFrame<String, TrendAlert>) {
        let streams = OrderStreams(app: app, options: options, codec: codec)
        return (
            app.dataframe(streams.orderAggregates).to(sinks.aggregates),
            app.dataframe(streams.trendAlerts).to(sinks.alerts)
        )
    }
}
