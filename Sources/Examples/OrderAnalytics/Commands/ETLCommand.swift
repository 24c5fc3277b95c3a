import ArgumentParser
import ExampleSupport
import StreamKit

/// `order-analytics etl`: order_aggregates and trend_alerts → TimescaleDB, upserted in batches.
struct ETLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "etl",
        abstract:
            "Upsert order_aggregates and trend_alerts into TimescaleDB: hourly rollup, compression, retention."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var replay: ReplayOptions
    @OptionGroup var operations: OperationsOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard connection.resolvedTimescaleURL != nil else {
            throw ValidationError("etl writes to a database: give --timescale-url or set TIMESCALE_URL")
        }
        _ = try pipeline.makeCodec(connection)
    }

    func run() async throws {
        let environment = try StageEnvironment(
            label: "order-analytics.etl", connection: connection, pipeline: pipeline, logging: logging,
            operations: operations)
        guard let database = try await environment.connectDatabase() else { return }
        let sinks = try await OrderWarehouse.makeSinks(on: database)
        let app = try environment.makeApp(stage: "etl", replay: replay)
        OrderWarehouse.build(in: app, options: pipeline, codec: environment.codec, sinks: sinks)
        Console.line(environment.banner("etl (app \(app.name))"))
        Console.line(OrderWarehouse.describe(sinks))
        try await replay.run(app, with: environment.runner)
        let aggregates = sinks.aggregates.statistics, alerts = sinks.alerts.statistics
        Console.line(
            "etl: \(aggregates.writtenRowCount) order_aggregates rows and \(alerts.writtenRowCount) trend_alerts "
                + "rows upserted in \(aggregates.flushCount + alerts.flushCount) batches")
        await database.close()
    }
}
