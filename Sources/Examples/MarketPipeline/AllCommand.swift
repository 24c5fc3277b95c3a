import ArgumentParser
import ExampleSupport
import StreamKit

/// `market-pipeline all` (the default): the feed and the processing stage in one process.
struct AllCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Simulate the feed and process it in one process (the default; the embedded demo).",
        discussion: """
            With no arguments: 5 symbols ticking every 20 ms for 10 seconds on an embedded in-process Kafka \
            cluster, bars printed as they close, then a summary. With --count, that many ticks are produced as \
            fast as possible, processed as a backtest, and the latest bars printed.
            """)

    @OptionGroup var feed: FeedOptions
    @OptionGroup var processing: ProcessOptions
    @OptionGroup var topics: MarketTopicOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var operations: OperationsOptions
    @OptionGroup var logging: LoggingOptions

    @Option(name: .long, help: "How long a real-time feed runs, in seconds.")
    var duration = 10.0

    func validate() throws {
        try topics.validate(with: connection)
        guard duration > 0 else { throw ValidationError("--duration must be a positive number of seconds") }
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "market-pipeline")
        let broker = try connection.makeBroker(logger: logger)
        let names = topics.topics
        let exactlyOnce = processing.guarantee == .exactlyOnce
        let database = try await connection.makeDatabase(
            exactlyOnceGroup: exactlyOnce ? topics.applicationID : nil, logger: logger)
        let tickFormat = try topics.tickSerde(connection: connection)
        let runner = ExampleRunner(operations, logger: logger)
        // Every run is a backtest of the feed it made: it ends, closing the last windows, once the feed stops.
        let pipeline = try MarketPipeline(
            name: topics.applicationID, instanceID: topics.naming.instanceID, broker: broker,
            guarantee: processing.guarantee.processingGuarantee,
            topics: names, tickFormat: tickFormat, database: database, closeAfterIdle: nil,
            exportingMetricsTo: runner.metrics, logger: logger)
        let orderbook = OrderbookFeed(
            broker: broker, topic: names.raw, partitions: feed.partitions, intervalMs: feed.intervalMs,
            simulator: OrderbookSimulator(
                symbols: feed.symbols, seed: feed.seed, badTickRate: feed.badTickRate, serde: tickFormat))
        Console.line(
            "market-pipeline: \(feed.symbols.joined(separator: ", ")) on \(connection.kafkaDescription)"
                + (database == nil ? "" : ", writing to the database"))

        if let count = feed.count {
            var fast = orderbook
            try await fast.produce(count: count)
            Console.line(fast.simulator.statistics.line(topic: names.raw))
            try await ProcessingRun(pipeline: pipeline, isLive: false, show: processing.show).run { app in
                try await runner.run(app, mode: .untilIdle(.seconds(1)))
            }
            Console.line(pipeline.summary.line)
        } else {
            let limit = Duration.seconds(duration)
            let producing = Task {
                var paced = orderbook
                try await paced.producePaced(for: limit)
                return paced.simulator.statistics
            }
            defer { producing.cancel() }
            try await ProcessingRun(pipeline: pipeline, isLive: true, show: processing.show).run { app in
                try await runner.run(app, mode: .untilIdle(.milliseconds(1_500)))
            }
            Console.line(try await producing.value.line(topic: names.raw))
            Console.line(pipeline.summary.line)
        }
    }
}
