import ArgumentParser
import ExampleSupport
import StreamKit

/// `market-pipeline simulate`: the orderbook feed alone, producing to orderbook.raw.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Produce a simulated orderbook feed to orderbook.raw.",
        discussion: """
            Random-walk ticks per symbol, keyed by symbol, with per-symbol sequence numbers and current \
            timestamps: in real time every --interval-ms, or --count ticks as fast as possible.
            """)

    @OptionGroup var feed: FeedOptions
    @OptionGroup var topics: MarketTopicOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var logging: LoggingOptions

    @Option(name: .long, help: "Stop a real-time feed after this many seconds (default: run until interrupted).")
    var duration: Double?

    func validate() throws {
        try topics.validate(with: connection)
        if let duration, !(duration > 0) { throw ValidationError("--duration must be a positive number of seconds") }
        if duration != nil && feed.count != nil { throw ValidationError("--duration and --count exclude each other") }
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "market-pipeline")
        let broker = try connection.makeBroker(logger: logger)
        if connection.resolvedBrokers == nil {
            logger.warning("simulating into an embedded cluster that ends with this process; use --brokers, or 'all'")
        }
        let names = topics.topics
        var orderbook = OrderbookFeed(
            broker: broker, topic: names.raw, partitions: feed.partitions, intervalMs: feed.intervalMs,
            simulator: OrderbookSimulator(
                symbols: feed.symbols, seed: feed.seed, badTickRate: feed.badTickRate,
                serde: try topics.tickSerde(connection: connection)))
        Console.line(
            "simulating \(feed.symbols.joined(separator: ", ")) into \(names.raw) on \(connection.kafkaDescription)")
        if let count = feed.count {
            try await orderbook.produce(count: count)
        } else {
            try await orderbook.producePaced(for: duration.map { .seconds($0) })
        }
        Console.line(orderbook.simulator.statistics.line(topic: names.raw))
    }
}

extension OrderbookSimulator.Statistics {
    /// E.g. `produced 1000 ticks in 1010 records to orderbook.raw; bad: crossedBook 2, malformed 3`.
    func line(topic: String) -> String {
        let bad = faults.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }
        return "produced \(ticks) ticks in \(records) records to \(topic)"
            + (bad.isEmpty ? "" : "; bad: \(bad.joined(separator: ", "))")
    }
}
