import Foundation
import StreamKit
import StreamKitKafka
import StreamKitTestSupport
import StreamKitTimescale
import Testing

/// One test's market pipeline on the separate broker and PostgreSQL: its own topic prefix, app id and schema,
/// so tests can run side by side.
struct MarketTestRun {
    let prefix: String
    let appID: String
    let schema: String
    /// A connection to the run's schema, which exists from the start: the processes' `search_path` names it,
    /// and a missing schema would send their tables to `public`.
    let pg: TimescaleConnection
    private let broker: KafkaBroker

    init(_ name: String) async throws {
        let stamp = UInt32.random(in: 0...UInt32.max)
        prefix = "\(name)-\(stamp)."
        appID = "\(name)-\(stamp)"
        schema = "market_\(stamp)"
        pg = try await TestDatabase.makeExampleSchema(schema)
        broker = KafkaBroker(.servers(TestEnvironment.kafkaBrokers ?? "127.0.0.1:9092"))
    }

    var raw: String { prefix + "orderbook.raw" }
    var invalid: String { prefix + "orderbook.invalid" }
    var bars: String { prefix + "orderbook.bars.1s" }
    var spikes: String { prefix + "orderbook.spikes" }
    var gaps: String { prefix + "orderbook.gaps" }

    /// `market-pipeline simulate` into this run's raw topic.
    func simulate(_ arguments: [String]) throws -> ExampleProcess {
        try ExampleProcess("market-pipeline", ["simulate", "--topic-prefix", prefix] + arguments)
    }

    /// `market-pipeline process` under this run's app id, writing to this run's schema unless `database` is
    /// false.
    ///
    /// Every process of the run is the same static group member (`group.instance.id`) and the same instance
    /// (`--instance-id`), so a restarted process takes a killed one's place at once: the development broker never
    /// evicts a dead dynamic member, and under exactly-once the restart fences the killed producer and ends its
    /// open transaction instead of leaving it to time out.
    func process(_ arguments: [String], database: Bool = true) throws -> ExampleProcess {
        try ExampleProcess(
            "market-pipeline",
            [
                "process", "--topic-prefix", prefix, "--app-id", appID, "--kafka-property", "session.timeout.ms=6000",
                "--kafka-property", "heartbeat.interval.ms=500", "--kafka-property", "group.instance.id=\(appID)-0",
                "--instance-id", "\(appID)-0",
            ] + (database ? ["--timescale-url", TestDatabase.url(schema: schema, includingPublic: true)] : [])
                + arguments,
            environment: [TestEnvironment.timescaleURLVariable: ""])
    }

    /// The records a `process` run read from the raw topic, from its closing summary line
    /// (`<n> records → …`); `nil` without one.
    static func recordsRead(by process: ExampleProcess) -> Int? {
        process.stdout.split(separator: "\n").last { $0.contains(" records → ") }
            .flatMap { Int($0.prefix { $0.isNumber }) }
    }

    /// SIGKILLs `process` and waits until it is gone.
    func kill(_ process: ExampleProcess) async throws {
        process.send(SIGKILL)
        #expect(try await process.waitForExit(within: .seconds(30)) == .signalled(SIGKILL))
    }

    /// Every committed record of `topic`, all partitions, from the beginning to the current end.
    func read(_ topic: String) async throws -> [RawRecord] {
        try await KafkaTestSupport.readToEnd(topic, on: broker)
    }

    /// The group's committed offsets on the raw topic, per partition (partitions without one left out).
    func committedOffsets() async throws -> [Int: Int64] {
        try await KafkaTestSupport.committedOffsets(group: appID, topic: raw, partitions: 3, on: broker)
    }

    /// The end of each raw partition: the offset after its last record.
    func rawEndOffsets() async throws -> [Int: Int64] {
        try await KafkaTestSupport.endOffsets(raw, partitions: 3, on: broker)
    }

    func dropSchema() async throws {
        try await pg.execute("DROP SCHEMA \(try SQLIdentifier(schema, setting: "schema")) CASCADE")
    }
}
