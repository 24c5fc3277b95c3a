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

    // MARK: - Handing batches over

    /// A checkpoint of the app `detach` (the sinks below store no offsets, so its offsets do not matter).
    static let detachCheckpoint = SinkCheckpoint(group: "detach", nextOffsets: [:])

    /// A sink of ticks into `ticks` of `schema`, upserting by `sequence`, flushed by checkpoints only.
    static func ticksSink(
        schema: String, guarantee: TimescaleSinkGuarantee = .atLeastOnce, batchSize: Int = 10_000
    ) throws -> TimescaleSink<Tick> {
        try TimescaleSink<Tick>(
            table: "ticks", on: TimescaleConnection(TestDatabase.url(schema: schema)), upsertKey: ["sequence"],
            guarantee: guarantee, batchSize: batchSize, maxBatchAge: nil)
    }

    /// Appends the ticks `range` of `makeTicks` to `sink`, as the hot path would.
    static func append(_ range: Range<Int>, to sink: TimescaleSink<Tick>) throws {
        let context = SinkContext(timestamp: EventTime(milliseconds: 0), position: nil, partition: 0)
        for tick in makeTicks(range) { try sink.append(tick, context: context) }
    }

    /// At least once, the runtime takes each checkpoint's rows with `detachFlush` and writes them in the background
    /// while later rows are appended.
    @Test func aDetachedBatchHoldsTheRowsBeforeItAndItsWriteStoresThem() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("sink_detach")
        let sink = try Self.ticksSink(schema: schema)
        let checkpoint = Self.detachCheckpoint
        let count = {
            try await TestDatabase.scalar(pg, "SELECT count(*) || ' ' || coalesce(sum(sequence), 0) FROM ticks")
        }

        // Before its first flush made the table, the sink is flushed in place.
        #expect(sink.detachFlush(checkpoint: checkpoint) == nil)
        try await sink.prepare()
        #expect(sink.detachFlush(checkpoint: checkpoint)?.isNone == true)  // nothing buffered
        try Self.append(0..<100, to: sink)
        let write = try #require(sink.detachFlush(checkpoint: checkpoint))
        try Self.append(100..<150, to: sink)
        #expect(sink.statistics.bufferedRowCount == 50)
        #expect(try await count() == "0 0")  // nothing written before the write runs

        try await write.run()
        #expect(try await count() == "100 \(99 * 100 / 2)")  // sequences 0…99
        try await sink.flush(checkpoint: checkpoint)
        #expect(try await count() == "150 \(149 * 150 / 2)")
        #expect(sink.statistics.writtenRowCount == 150 && sink.statistics.bufferedRowCount == 0)
        try await TestDatabase.dropSchema(schema)
    }

    /// Rows sent ahead of a flush (a full chunk of 10 000) make the sink ask for a flush in place; from then on it
    /// sends nothing ahead, so that the next batch can be handed over.
    @Test func rowsSentAheadAreFlushedInPlaceAndSendingAheadStops() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("sink_detach_ahead")
        let sink = try Self.ticksSink(schema: schema, batchSize: 100_000)
        let checkpoint = Self.detachCheckpoint
        try await sink.prepare()
        try Self.append(0..<10_000, to: sink)  // a chunk: sent ahead
        #expect(sink.detachFlush(checkpoint: checkpoint) == nil)
        try await sink.flush(checkpoint: checkpoint)
        try Self.append(10_000..<20_000, to: sink)  // not sent ahead now
        let write = try #require(sink.detachFlush(checkpoint: checkpoint))
        try await write.run()
        #expect(try await TestDatabase.scalar(pg, "SELECT count(DISTINCT sequence) FROM ticks") == "20000")
        try await TestDatabase.dropSchema(schema)
    }

    @Test func anExactlyOnceSinkIsFlushedInPlace() async throws {
        let (_, schema) = try await TestDatabase.makeSchema("sink_detach_eos")
        let sink = try Self.ticksSink(schema: schema, guarantee: .exactlyOnce(group: "detach"))
        try await sink.prepare()
        try Self.append(0..<10, to: sink)
        // Its offsets go into the database with the rows, in step with the rest of the checkpoint.
        #expect(sink.detachFlush(checkpoint: Self.detachCheckpoint) == nil)
        #expect(sink.statistics.bufferedRowCount == 10)
        try await TestDatabase.dropSchema(schema)
    }
}
