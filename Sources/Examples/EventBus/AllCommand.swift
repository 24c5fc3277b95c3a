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

    @OptionGroup var options: ConsumerOptions
    @OptionGroup var generator: GeneratorOptions

    func run() async throws {
        let (pipeline, outputs, counters, runner) = try await options.makeConsumer(defaultName: "event-bus")
        let count = generator.resolvedCount(default: 100)
        pipeline.produce(generator.bankTransactions(count: count), counters: counters)
        pipeline.produce(generator.priceUpdates(count: count), counters: counters)
        Console.line(
            "event bus via \(options.connection.kafkaDescription): \(count.map(String.init) ?? "endless") events per "
                + "producer (seed \(generator.seed)) → \(pipeline.bankTransactions.name), "
                + "\(pipeline.priceUpdates.name) → \(outputs.describe(topic: pipeline.recommendations.name))")
        // With a count the run ends once both producers are done and the consumer has been idle for a while.
        let mode: RunMode = count == nil && !options.replay.backtest ? .continuous : .untilIdle(.seconds(3))
        try await runner.run(pipeline.app, mode: mode, stoppingAfter: options.replay.runDuration)
        Console.line(
            "produced \(counters.produced(.bank)) bank transactions and \(counters.produced(.price)) price updates; "
                + outputs.summary(counters: counters))
    }
}
