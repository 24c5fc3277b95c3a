import ArgumentParser

/// `streamkit-bench`: StreamKit's figures against a live broker and in memory.
@main
struct StreamKitBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "streamkit-bench",
        abstract: "Benchmark StreamKit: Kafka end to end, end-to-end latency, and the in-memory DSL.",
        discussion: """
            The Kafka benchmarks need a running broker: pass --brokers or set KAFKA_BROKERS \
            (scripts/bench-kafka starts a local one when neither is given). Every run prints a table \
            with the machine, the date and the figures; progress goes to stderr.
            """,
        subcommands: [
            KafkaBenchmark.self, LatencyBenchmark.self, DSLBenchmark.self, TimescaleBenchmark.self,
            SerdesBenchmark.self,
        ])
}

/// The `--brokers` option shared by the Kafka benchmarks, defaulting to `KAFKA_BROKERS`.
struct BrokerOptions: ParsableArguments {
    @Option(name: .long, help: "Bootstrap servers (host:port). Default: the KAFKA_BROKERS environment variable.")
    var brokers: String?

    /// The servers to use, or a validation error naming both ways to give them.
    func resolved() throws -> String {
        if let brokers, !brokers.isEmpty { return brokers }
        if let value = Machine.environment("KAFKA_BROKERS"), !value.isEmpty { return value }
        throw ValidationError(
            "no broker: pass --brokers host:port or set KAFKA_BROKERS (scripts/bench-kafka starts one)")
    }
}

/// A benchmark that could not finish; printed without the usage text.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
