import ArgumentParser
import ExampleSupport
import StreamKit

/// `order-analytics trends`: order_aggregates → EMA baseline per product → trend_alerts.
struct TrendsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trends",
        abstract:
            "Alert on revenue above 2× its EMA (α = 0.3, HIGH above 3×): order_aggregates → trend_alerts."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var replay: ReplayOptions
    @OptionGroup var operations: OperationsOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        _ = try pipeline.makeCodec(connection)
    }

    func run() async throws {
        let environment = try StageEnvironment(
            label: "order-analytics.trends", connection: connection, pipeline: pipeline, logging: logging,
            operations: operations)
        let app = try environment.makeApp(stage: "trends", replay: replay)
        let table = OrderTables.alerts()
        TrendDetection.build(in: app, options: pipeline, codec: environment.codec).alerts.to(table)
        try await environment.codec.registerWriterSchemas([
            (environment.codec.trendAlertSchema, pipeline.topics.trendAlerts)
        ])
        Console.line(environment.banner("trends (app \(app.name))"))
        try await replay.run(app, with: environment.runner)
        Console.line("trends: \(table.count) alerts written to \(pipeline.topics.trendAlerts)")
    }
}
