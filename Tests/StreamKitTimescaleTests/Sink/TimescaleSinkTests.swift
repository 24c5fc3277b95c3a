import StreamKit
import StreamKitTestSupport
import StreamKitTimescale
import Testing

/// Pipelines on the in-memory broker writing into a real PostgreSQL through `TimescaleSink`.
@Suite(.enabled(if: TestEnvironment.hasTimescale, SkipReason.noTimescale))
struct TimescaleSinkTests {
    /// ticks → 1 s tumbling bars per symbol → `bars_1s`, on `broker`, as the app `name`.
    static func runBars(
        name: String, broker: InMemoryBroker, schema: String
    ) async throws -> TimescaleSink<WindowResult<String, Bar>> {
        let app = try StreamApp(name: name, broker: broker)
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json, partitions: 2)
        let pg = try TimescaleConnection(TestDatabase.url(schema: schema))
        let sink = try TimescaleSink(
            table: "bars_1s", on: pg, upsertKey: ["symbol", "window_start"], timeColumn: "window_start",
            row: BarRow.init)
        app.dataframe(ticks)
            .eventTime(\.tsEventMs)
            .tumblingWindow(.seconds(1), grace: .milliseconds(200))
            .aggregate(into: Bar.empty) { bar, tick in bar.add(tick) }
            .final()
            .to(sink)
        try await app.run(mode: .backtest)
        return sink
    }

    @Test func backtestWritesExactlyTheReferenceBars() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("sink_bars")
        let broker = InMemoryBroker()
        broker.createTopic(TopicSpec(name: "ticks", partitions: 2))
        let input = makeTicks(0..<1_000)  // 10 s of ticks, 3 symbols: 30 bars
        try produce(input, to: broker)

        let sink = try await Self.runBars(name: "bars-app", broker: broker, schema: schema)

        let expected = referenceBars(input)
        #expect(expected.count == 30)
        #expect(try await storedBars(pg) == expected)
        #expect(sink.statistics.writtenRowCount == 30 && sink.statistics.bufferedRowCount == 0)
        try await TestDatabase.dropSchema(schema)
    }

    @Test func replayByAFreshConsumerGroupLeavesTheSameRows() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("sink_replay")
        let broker = InMemoryBroker()
        broker.createTopic(TopicSpec(name: "ticks", partitions: 2))
        let input = makeTicks(0..<600)
        try produce(input, to: broker)

        let first = try await Self.runBars(name: "bars-first", broker: broker, schema: schema)
        let second = try await Self.runBars(name: "bars-second", broker: broker, schema: schema)  // reads from 0

        let expected = referenceBars(input)
        #expect(try await storedBars(pg) == expected)
        #expect(try await TestDatabase.scalar(pg, "SELECT count(*) FROM bars_1s") == "\(expected.count)")
        #expect(first.statistics.changedRowCount == expected.count)
        // The replay wrote every bar again, and the upsert found each one already there, unchanged.
        #expect(second.statistics.writtenRowCount == expected.count)
        #expect(second.statistics.changedRowCount == 0)
        try await TestDatabase.dropSchema(schema)
    }

    @Test func tinyBatchSizeBackpressuresAndTheRuntimeFlushes() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("sink_pressure")
        let broker = InMemoryBroker()
        let app = try StreamApp(
            name: "pressure", broker: broker,
            checkpoint: CheckpointPolicy(records: 1_000_000, interval: .seconds(3_600)))
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json)
        let sink = try TimescaleSink<Tick>(
            table: "ticks", on: TimescaleConnection(TestDatabase.url(schema: schema)), upsertKey: ["sequence"],
            batchSize: 1_000, maxBatchAge: nil)
        app.dataframe(ticks).to(sink)

        // The sink asks for a flush once it holds a batch.
        let probe = try TimescaleSink<Tick>(
            table: "ticks", on: pg, upsertKey: ["sequence"], batchSize: 3, maxBatchAge: nil)
        let context = SinkContext(timestamp: EventTime(milliseconds: 0), position: nil, partition: 0)
        for tick in makeTicks(0..<2) { try probe.append(tick, context: context) }
        #expect(!probe.isBackpressured)
        try probe.append(makeTicks(2..<3)[0], context: context)
        #expect(probe.isBackpressured)

        // 10 000 ticks reach the app in polls of at most 4 096 records: 4 096 + 4 096 + 1 808. Each poll fills
        // the sink past its batch size, so the runtime flushes three times; the only checkpoint is the final
        // one, which finds the buffer empty and writes nothing.
        broker.createTopic(ticks.spec)
        try produce(makeTicks(0..<10_000), to: broker)
        try await app.run(mode: .backtest)

        #expect(sink.statistics.flushCount == 3)
        #expect(sink.statistics.writtenRowCount == 10_000 && sink.statistics.bufferedRowCount == 0)
        #expect(try await TestDatabase.scalar(pg, "SELECT count(DISTINCT sequence) FROM ticks") == "10000")
        #expect(try await TestDatabase.scalar(pg, "SELECT sum(sequence) FROM ticks") == "\(9_999 * 10_000 / 2)")
        try await TestDatabase.dropSchema(schema)
    }
}
