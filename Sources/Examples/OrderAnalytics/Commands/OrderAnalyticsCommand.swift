import ArgumentParser

/// The order-analytics example: an HTTP gateway and three stream stages, each runnable as its own process,
/// or all in one (the default).
@main
struct OrderAnalyticsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order-analytics",
        abstract:
            "Order analytics on StreamKit: HTTP gateway → 5-minute product windows → trend alerts → TimescaleDB.",
        discussion: """
            Topics: order_events (gateway, keyed by order_id), product_views (gateway), order_aggregates \
            (aggregate: orders, units and revenue per product and 5-minute window), trend_alerts (trends: \
            window revenue above 2× its EMA baseline, α = 0.3; HIGH above 3×). etl upserts order_aggregates and \
            trend_alerts into TimescaleDB. Without arguments everything runs in this process on an embedded \
            Kafka cluster with a short demo load. Each stage's consumer group is <app-id>-<stage> (by default \
            <topic-prefix>order-analytics-<stage>). The stages serve /metrics (Prometheus), /health and /ready on \
            --metrics-port (default 9464) and stop gracefully on SIGTERM or SIGINT.
            """,
        subcommands: [
            AllCommand.self, GatewayCommand.self, AggregateCommand.self, TrendsCommand.self, ETLCommand.self,
        ],
        defaultSubcommand: AllCommand.self)
}
