import ArgumentParser
import ExampleSupport

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

    @OptionGroup var options: ConsumerOptions

    func run() async throws {
        let (pipeline, outputs, counters, runner) = try await options.makeConsumer(defaultName: "event-bus-recommender")
        Console.line(
            "recommending from \(pipeline.bankTransactions.name) and \(pipeline.priceUpdates.name) to "
                + "\(outputs.describe(topic: pipeline.recommendations.name)) as \(pipeline.app.name) via "
                + options.connection.kafkaDescription)
        try await options.replay.run(pipeline.app, with: runner)
        Console.line(outputs.summary(counters: counters))
    }
}
