import ArgumentParser

/// `streamkit-bench`: StreamKit's figures against a live broker and database and in memory.
@main
struct StreamKitBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "streamkit-bench",
        abstract: "Benchmark StreamKit: in-memory DSL, Kafka end to end, latency, scaling, TimescaleDB, serdes.",
        discussion: """
            scripts/bench runs every subcommand (starting a local broker and PostgreSQL when KAFKA_BROKERS and \
            TIMESCALE_URL are unset) and writes BENCHMARKS.md with `report`. Each subcommand prints a table \
            with the figures; with --results FILE it also appends them to FILE as JSON lines for `report`. \
            Progress bars go to stderr. The Kafka subcommands need --brokers or KAFKA_BROKERS; `timescale` \
            needs --url or TIMESCALE_URL, and `persistence` both.
            """,
        subcommands: [
            DSLBenchmark.self, KafkaBenchmark.self, LatencyBenchmark.self, ScaleBenchmark.self,
            TimescaleBenchmark.self, PersistenceBenchmark.self, PersistenceLatencyBenchmark.self, SerdesBenchmark.self,
            ReportCommand.self, ScaleWorker.self,
        ])
}
