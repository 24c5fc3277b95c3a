import StreamKit
import StreamKitTestSupport
import StreamKitTimescale
import Testing

/// Exactly-once into the database: ticks go into an append-only table (no upsert key), so a record written
/// twice would show as a duplicate row; only the offsets stored with each batch prevent that.
@Suite(.enabled(if: TestEnvironment.hasTimescale, SkipReason.noTimescale))
struct TimescaleSinkExactlyOnceTests {
    static let group = "ticks-eos"

    /// The app: ticks → `ticks` table (exactly-once), then a sink that counts and can fail its checkpoint.
    static func makeApp(
        broker: InMemoryBroker, schema: String
    ) throws -> (StreamApp, TimescaleSink<Tick>, CheckpointFaultSink<Tick>) {
        let app = try StreamApp(name: group, broker: broker)
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json, partitions: 2)
        let sink = try TimescaleSink<Tick>(
            table: "ticks", on: TimescaleConnection(TestDatabase.url(schema: schema)), upsertKey: [],
            guarantee: .exactlyOnce(group: app.name))
        let fault = CheckpointFaultSink<Tick>()
        app.dataframe(ticks).to(sink).to(fault)
        return (app, sink, fault)
    }

    /// The next offset of each partition after the ticks with sequence below `sequence`, read from the broker.
    static func offsets(after sequence: Int64, in broker: InMemoryBroker) throws -> [TopicPartition: Int64] {
        var result: [TopicPartition: Int64] = [:]
        for record in broker.records(in: "ticks")
        where try Serde<Tick>.json.decode(record.value ?? []).sequence < sequence {
            let partition = TopicPartition(topic: "ticks", partition: record.partition ?? 0)
            result[partition] = max(result[partition] ?? 0, record.offset + 1)
        }
        return result
    }

    static func storedOffsets(_ pg: TimescaleConnection) async throws -> [TopicPartition: Int64] {
        let rows = try await pg.execute(
            "SELECT topic, partition, next_offset FROM streamkit_offsets WHERE consumer_group = \(group)")
        return Dictionary(
            uniqueKeysWithValues: rows.map { row in
                (TopicPartition(topic: row[0] ?? "", partition: Int(row[1] ?? "") ?? -1), Int64(row[2] ?? "") ?? -1)
            })
    }

    static func expectEveryTickOnce(_ pg: TimescaleConnection, count: Int) async throws {
        #expect(try await TestDatabase.scalar(pg, "SELECT count(*) FROM ticks") == "\(count)")
        #expect(try await TestDatabase.scalar(pg, "SELECT count(DISTINCT sequence) FROM ticks") == "\(count)")
        #expect(
            try await TestDatabase.scalar(pg, "SELECT min(sequence)::text || '-' || max(sequence) FROM ticks")
                == "0-\(count - 1)")
    }

    /// Crash after a checkpoint, with uncheckpointed records processed: a new harness resumes from the
    /// committed offsets, which equal the ones stored in the database.
    @Test func crashAfterCheckpointResumesFromTheLastCommittedBatch() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("eos_harness")
        let broker = InMemoryBroker()
        do {
            let (app, _, _) = try Self.makeApp(broker: broker, schema: schema)
            let h = try PipelineHarness(app)
            try h.send(app.topic("ticks", key: String.self, value: Tick.self, format: .json), makeTicks(0..<40))
            try await h.checkpoint()
            try produce(makeTicks(40..<70), to: broker)
            try h.processPending()  // buffered in the sink, never flushed: lost with the process
        }
        #expect(try await Self.storedOffsets(pg) == Self.offsets(after: 40, in: broker))
        #expect(try await Self.storedOffsets(pg) == broker.committedOffsets(group: Self.group))
        try await Self.expectEveryTickOnce(pg, count: 40)

        let (app, sink, fault) = try Self.makeApp(broker: broker, schema: schema)
        let h = try PipelineHarness(app)
        #expect(
            try await sink.storedOffsets(for: broker.committedOffsets(group: Self.group).keys.sorted())
                == broker.committedOffsets(group: Self.group))
        try h.processPending()
        try await h.checkpoint()
        #expect(fault.count == 30)  // 40..<70 again, and nothing before
        try await Self.expectEveryTickOnce(pg, count: 70)
        #expect(try await Self.storedOffsets(pg) == Self.offsets(after: 70, in: broker))
        try await TestDatabase.dropSchema(schema)
    }

    /// Crash after the database committed a batch and its offsets, before the broker's commit: on restart the
    /// runtime seeks to the database's offsets, ahead of the broker's, and writes nothing twice.
    @Test func crashBetweenDatabaseAndBrokerCommitResumesFromTheDatabaseOffsets() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("eos_runtime")
        let broker = InMemoryBroker()
        do {
            let (app, _, fault) = try Self.makeApp(broker: broker, schema: schema)
            let h = try PipelineHarness(app)
            try produce(makeTicks(0..<40), to: broker)
            try h.processPending()
            try await h.checkpoint()
            try produce(makeTicks(40..<55), to: broker)
            try h.processPending()
            fault.arm()
            await #expect(throws: SimulatedCrash.self) { try await h.checkpoint() }
            try produce(makeTicks(55..<70), to: broker)
            try h.processPending()
        }
        #expect(broker.committedOffsets(group: Self.group) == (try Self.offsets(after: 40, in: broker)))
        #expect(try await Self.storedOffsets(pg) == Self.offsets(after: 55, in: broker))
        try await Self.expectEveryTickOnce(pg, count: 55)

        try produce(makeTicks(70..<100), to: broker)
        let (app, sink, fault) = try Self.makeApp(broker: broker, schema: schema)
        try await app.run(mode: .backtest)

        // The runtime seeks to the database's offsets (55) on assignment, ahead of the broker's (40), and
        // reads nothing before the seek: only 55..<100 arrive, none of them twice.
        #expect(sink.statistics.skippedReplayCount == 0)
        #expect(fault.count == 45)  // 55..<100 only
        #expect(sink.statistics.writtenRowCount == 45)
        try await Self.expectEveryTickOnce(pg, count: 100)
        let all = try Self.offsets(after: 100, in: broker)
        #expect(try await Self.storedOffsets(pg) == all)
        #expect(broker.committedOffsets(group: Self.group) == all)
        try await TestDatabase.dropSchema(schema)
    }
}
