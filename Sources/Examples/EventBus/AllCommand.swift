import ArgumentParser
import ExampleSupport
import StreamKit

/// `event-bus all` (the default): both producers and the consumer in one app.
struct AllCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Run both producers and the recommendation consumer in one process (the default).",
        discussion: """
            Without --brokers or KAFKA_BROKERS it runs on an embedded in-process cluster. It produces --count \
            events per producer (100 unless given; 0 for no end), shows the recommendations as they come, and \
            stops once everything produced has been consumed.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var naming: NamingOptions
    @OptionGroup var generator: GeneratorOptions
    @OptionGroup var replay: ReplayOptions

    @Option(help: "Rows of the table kept on a terminal.")
    var show = 20

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard show > 0 else { throw ValidationError("--show must be positive") }
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "event-bus")
        let broker = try connection.makeBroker(logger: logger)
        let app = try StreamApp(
            name: replay.applicationName(naming.appName(default: "event-bus")), broker: broker,
            errors: EventBusPipeline.errorPolicy(naming: naming), logger: logger)
        let pipeline = EventBusPipeline(app: app, naming: naming)
        let counters = EventBusCounters()
        let count = generator.resolvedCount(default: 100)
        let outputs = try await RecommenderOutputs.make(connection: connection, show: show, logger: logger)
        pipeline.produce(generator.bankTransactions(count: count), counters: counters)
        pipeline.produce(generator.priceUpdates(count: count), counters: counters)
        pipeline.recommend(counters: counters, table: outputs.table, database: outputs.database)
        Console.line(
            "event bus on the \(connection.kafkaDescription): \(count.map(String.init) ?? "endless") events per "
                + "producer (seed \(generator.seed)) → \(pipeline.bankTransactions.name), "
                + "\(pipeline.priceUpdates.name) → \(outputs.describe(topic: pipeline.recommendations.name))")
        // With a count the run ends once both producers are done and the consumer has been idle for a while.
        let mode: RunMode = count == nil && !replay.backtest ? .continuous : .backtest(idle: .seconds(3))
        try await app.run(mode: mode, stoppingAfter: replay.runDuration)
        Console.line(
            "produced \(counters.produced(.bank)) bank transactions and \(counters.produced(.price)) price updates; "
                + outputs.summary(counters: counters))
    }
}
