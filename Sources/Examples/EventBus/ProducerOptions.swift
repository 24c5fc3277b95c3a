import ArgumentParser
import ExampleSupport
import StreamKit

/// The flags of the two producer subcommands, and their run.
struct ProducerOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var naming: NamingOptions
    @OptionGroup var generator: GeneratorOptions

    @Option(help: "Stop after this many seconds (default: when --count events are produced, or never).")
    var duration: Double?

    @OptionGroup var operations: OperationsOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let duration, !(duration > 0) { throw ValidationError("--duration must be a positive number of seconds") }
    }

    /// Produces one stream's events until `--count` or `--duration`, then prints how many went to which topic.
    func run(_ stream: EventBusCounters.Stream, app defaultName: String) async throws {
        let logger = logging.bootstrap(label: defaultName)
        let broker = try connection.makeBroker(logger: logger)
        let runner = ExampleRunner(operations, logger: logger)
        let app = try StreamApp(
            name: naming.appName(default: defaultName), broker: broker, logger: logger, metrics: runner.metrics)
        let pipeline = EventBusPipeline(app: app, naming: naming)
        let counters = EventBusCounters()
        let count = generator.resolvedCount(default: nil)
        let topic: String
        switch stream {
        case .bank:
            pipeline.produce(generator.bankTransactions(count: count), counters: counters)
            topic = pipeline.bankTransactions.name
        case .price:
            pipeline.produce(generator.priceUpdates(count: count), counters: counters)
            topic = pipeline.priceUpdates.name
        }
        Console.line(
            "producing \(count.map(String.init) ?? "endless") events to \(topic) via \(connection.kafkaDescription)"
                + " (seed \(generator.seed), \(generator.rate > 0 ? "\(generator.rate)/s" : "unpaced"))")
        // With a count, a backtest ends the run once the sequence is done and everything is flushed.
        let mode: RunMode = count == nil ? .continuous : .backtest
        try await runner.run(app, mode: mode, stoppingAfter: duration.map { .seconds($0) })
        Console.line("produced \(counters.produced(stream)) events to \(topic)")
    }
}
