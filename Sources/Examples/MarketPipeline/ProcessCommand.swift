import ArgumentParser
import ExampleSupport
import StreamKit

/// `market-pipeline process`: the quality stage, bars and spikes over orderbook.raw.
struct ProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Validate ticks, compute 1-second bars and spike flags; write them to Kafka and TimescaleDB.",
        discussion: """
            Reads orderbook.raw. Malformed ticks, crossed books, non-positive bids, negative volumes and duplicate \
            sequence numbers go to orderbook.invalid with the reason in the streamkit.error header. A sequence gap \
            is reported on orderbook.gaps and the tick that reveals it is kept. Bars go to orderbook.bars.1s, \
            spikes to orderbook.spikes; with --timescale-url, ticks and bars are upserted into the ticks and \
            bars_1s hypertables. /metrics (Prometheus), /health and /ready answer on --metrics-port (default \
            9464); SIGTERM or SIGINT stops it after the batch in hand, with a final checkpoint.
            """)

    @OptionGroup var processing: ProcessOptions
    @OptionGroup var topics: MarketTopicOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var replay: ReplayOptions
    @OptionGroup var operations: OperationsOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        try topics.validate(with: connection)
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "market-pipeline")
        let broker = try connection.makeBroker(logger: logger)
        let name = replay.applicationName(topics.applicationID)
        let exactlyOnce = processing.guarantee == .exactlyOnce
        let database = try await connection.makeDatabase(exactlyOnceGroup: exactlyOnce ? name : nil, logger: logger)
        let runner = ExampleRunner(operations, logger: logger)
        let pipeline = try MarketPipeline(
            name: name, instanceID: topics.naming.instanceID, broker: broker,
            guarantee: processing.guarantee.processingGuarantee, topics: topics.topics,
            tickFormat: try topics.tickSerde(connection: connection), database: database,
            closeAfterIdle: replay.backtest ? nil : .seconds(10), exportingMetricsTo: runner.metrics, logger: logger)
        Console.line(
            "processing \(topics.topics.raw) as app \(name) (\(processing.guarantee.rawValue)) on "
                + "\(connection.kafkaDescription)" + (database == nil ? "" : ", writing to the database"))
        try await ProcessingRun(pipeline: pipeline, isLive: !replay.backtest, show: processing.show).run { app in
            try await replay.run(app, with: runner)
        }
        Console.line(pipeline.summary.line)
    }
}
