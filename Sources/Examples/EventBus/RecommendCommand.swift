import ArgumentParser
import ExampleSupport
import StreamKit

/// `event-bus recommend`: the recommendation consumer on its own.
struct RecommendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Consume both event topics and produce a recommendation per event that calls for one.",
        discussion: """
            Reads 'bank.transactions' and 'market.price.updates' in the consumer group of --app-id (continuing \
            from its committed offsets), produces to 'recommendations', shows them as a table, and upserts them \
            into the 'recommendations' table when a database is configured. Events that cannot be read go to \
            'recommendations.dead-letter' with the reason in the streamkit.error header. --from-beginning \
            replays everything under a fresh application id.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var naming: NamingOptions
    @OptionGroup var replay: ReplayOptions

    @Option(help: "Rows of the table kept on a terminal.")
    var show = 20

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard show > 0 else { throw ValidationError("--show must be positive") }
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "event-bus-recommender")
        let broker = try connection.makeBroker(logger: logger)
        let app = try StreamApp(
            name: replay.applicationName(naming.appName(default: "event-bus-recommender")), broker: broker,
            errors: EventBusPipeline.errorPolicy(naming: naming), logger: logger)
        let pipeline = EventBusPipeline(app: app, naming: naming)
        let counters = EventBusCounters()
        let outputs = try await RecommenderOutputs.make(connection: connection, show: show, logger: logger)
        pipeline.recommend(counters: counters, table: outputs.table, database: outputs.database)
        Console.line(
            "recommending from \(pipeline.bankTransactions.name) and \(pipeline.priceUpdates.name) to "
                + "\(outputs.describe(topic: pipeline.recommendations.name)) as \(app.name) on the "
                + connection.kafkaDescription)
        try await replay.run(app)
        Console.line(outputs.summary(counters: counters))
    }
}
