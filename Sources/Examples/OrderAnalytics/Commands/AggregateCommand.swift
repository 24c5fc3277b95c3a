import ArgumentParser
import ExampleSupport
import StreamKit

/// `order-analytics aggregate`: order_events → 5-minute windows per product → order_aggregates.
struct AggregateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Sum orders, units and revenue per product in 5-minute windows: order_events → order_aggregates.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var replay: ReplayOptions
    @OptionGroup var operations: OperationsOptions
    @OptionGroup var logging: LoggingOptions

    @Option(
        help: ArgumentHelp(
            "Seconds a window still takes out-of-order orders after its end.",
            discussion: """
                Default: 30. With --backtest the default is the end of the input: a replay reads the input \
                partitions at different speeds, so windows close only when the replay ends.
                """))
    var grace: Double?

    @Option(help: "Close the open windows after this many seconds without orders (default: never).")
    var closeAfterIdle: Double?

    func validate() throws {
        if let grace, !(grace >= 0) { throw ValidationError("--grace must be a number of seconds ≥ 0") }
        if let closeAfterIdle, !(closeAfterIdle > 0) { throw ValidationError("--close-after-idle must be positive") }
        _ = try pipeline.makeCodec(connection)
    }

    func run() async throws {
        let environment = try StageEnvironment(
            label: "order-analytics.aggregate", connection: connection, pipeline: pipeline, logging: logging,
            operations: operations)
        let app = try environment.makeApp(stage: "aggregate", replay: replay)
        let table = OrderTables.aggregates()
        OrderAggregation.build(
            in: app, options: pipeline, codec: environment.codec,
            grace: grace.map { .seconds($0) } ?? (replay.backtest ? OrderAggregation.untilEndOfInput : .seconds(30)),
            closeAfterIdle: closeAfterIdle.map { .seconds($0) }
        ).to(table)
        try await environment.codec.registerWriterSchemas([
            (environment.codec.orderAggregateSchema, pipeline.topics.orderAggregates)
        ])
        Console.line(environment.banner("aggregate (app \(app.name))"))
        try await replay.run(app, with: environment.runner)
        Console.line("aggregate: \(table.count) windows written to \(pipeline.topics.orderAggregates)")
    }
}
