import StreamKitTestSupport
import Synchronization
import Testing

@testable import StreamKit

/// At least once, a sink that hands over its batch (`detachFlush`) is written in the background while the app goes
/// on, and the offsets of that batch are committed only once its write succeeded.
@Suite("Sink writes overlapping with processing")
struct OverlappingSinkWriteTests {
    /// A sink whose background writes wait until the test opens its gate, or fail once `failing` is set.
    final class GatedSink: StreamSink {
        struct Failure: Error {}
        struct State {
            var buffer: [Int] = []
            /// Each detached batch, with the next offset of partition 0 its checkpoint named.
            var detached: [(values: [Int], nextOffset: Int64?)] = []
            var written: [Int] = []
            var flushedInPlace = 0
            var isOpen = false
            var isFailing = false
        }
        let state = Mutex(State())
        let partition: TopicPartition

        init(partition: TopicPartition) { self.partition = partition }

        func append(_ value: Int, context: SinkContext) throws { state.withLock { $0.buffer.append(value) } }

        func flush(checkpoint: SinkCheckpoint) async throws {
            state.withLock {
                $0.written += $0.buffer
                $0.buffer = []
                $0.flushedInPlace += 1
            }
        }

        func detachFlush(checkpoint: SinkCheckpoint) -> SinkWrite? {
            let batch = state.withLock { state in
                let batch = state.buffer
                state.buffer = []
                if !batch.isEmpty { state.detached.append((batch, checkpoint.nextOffsets[partition])) }
                return batch
            }
            guard !batch.isEmpty else { return SinkWrite.none }
            return SinkWrite { [self] in
                while !state.withLock({ $0.isOpen || $0.isFailing }) { try await Task.sleep(for: .milliseconds(1)) }
                try state.withLock { state in
                    guard !state.isFailing else { throw Failure() }
                    state.written += batch
                }
            }
        }

        var snapshot: State { state.withLock { $0 } }
    }

    private static func build(
        _ name: String, broker: some StreamBroker,
        checkpoint: CheckpointPolicy = CheckpointPolicy(records: 1, interval: .milliseconds(1))
    ) throws -> (StreamApp, GatedSink) {
        let app = try StreamApp(name: name, broker: broker, checkpoint: checkpoint)
        let numbers = app.topic("numbers", key: String.self, value: Int.self, format: .json)
        let sink = GatedSink(partition: TopicPartition(topic: "numbers", partition: 0))
        app.dataframe(numbers).to(sink)
        return (app, sink)
    }

    private static func produce(_ values: ClosedRange<Int>, to broker: InMemoryBroker) throws {
        for value in values {
            broker.append(
                RawRecord(
                    topic: "numbers", key: Array("k".utf8), value: try Serde<Int>.json.encode(value),
                    timestamp: .init(milliseconds: Int64(value))))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func processingGoesOnWhileABatchIsWrittenAndItsOffsetsAreCommittedAfter() async throws {
        let broker = InMemoryBroker()
        // A checkpoint every 5 records, and only then.
        broker.createTopic(TopicSpec(name: "numbers", partitions: 1))
        let (app, sink) = try Self.build(
            "overlap", broker: broker, checkpoint: CheckpointPolicy(records: 5, interval: .seconds(3_600)))
        let partition = TopicPartition(topic: "numbers", partition: 0)
        let run = Task { try await app.run() }
        try Self.produce(1...5, to: broker)
        try await waitUntil("a batch handed over") { !sink.snapshot.detached.isEmpty }
        // Its write waits for the gate; the app goes on reading and appending meanwhile, past the next checkpoint
        // that comes due (7 more records): that one follows once the write ended.
        try Self.produce(6...12, to: broker)
        try await waitUntil("values 6–12 appended while the write waits") { sink.snapshot.buffer == Array(6...12) }
        let first = sink.snapshot.detached[0]
        // The batch holds the values of exactly the records before its checkpoint's offset (value n at offset n-1).
        #expect(first.values == [1, 2, 3, 4, 5])
        #expect(first.nextOffset == 5)
        #expect(sink.snapshot.detached.count == 1)
        #expect(broker.committedOffsets(group: "overlap")[partition] == nil, "offsets committed before their write")
        #expect(sink.snapshot.written.isEmpty)

        sink.state.withLock { $0.isOpen = true }
        try await waitUntil("the first batch's offsets committed") {
            broker.committedOffsets(group: "overlap")[partition] ?? 0 >= 5
        }
        app.stop()
        try await run.value
        let done = sink.snapshot
        #expect(done.written == Array(1...12))
        #expect(done.detached.map(\.values) == [Array(1...5), Array(6...12)])
        #expect(broker.committedOffsets(group: "overlap")[partition] == 12)
    }

    @Test(.timeLimit(.minutes(1)))
    func aFailedWriteStopsTheAppWithoutCommittingItsOffsets() async throws {
        let broker = InMemoryBroker()
        broker.createTopic(TopicSpec(name: "numbers", partitions: 1))
        let (app, sink) = try Self.build("overlap-failing", broker: broker)
        let partition = TopicPartition(topic: "numbers", partition: 0)
        let run = Task { try await app.run() }
        try Self.produce(1...5, to: broker)
        try await waitUntil("a batch handed over") { !sink.snapshot.detached.isEmpty }
        let first = sink.snapshot.detached[0]
        sink.state.withLock { $0.isFailing = true }
        await #expect(throws: GatedSink.Failure.self) { try await run.value }
        #expect((broker.committedOffsets(group: "overlap-failing")[partition] ?? 0) < first.nextOffset!)
        #expect(app.status.snapshot.phase == .failed)
    }

    @Test(.timeLimit(.minutes(1)))
    func anExactlyOnceAppFlushesSinksInPlace() async throws {
        let broker = InMemoryBroker()
        let app = try StreamApp(name: "overlap-eos", broker: broker, guarantee: .exactlyOnce)
        let numbers = app.topic("numbers", key: String.self, value: Int.self, format: .json)
        let sink = GatedSink(partition: TopicPartition(topic: "numbers", partition: 0))
        app.dataframe(numbers).to(sink)
        broker.createTopic(numbers.spec)
        try Self.produce(1...5, to: broker)
        try await app.run(mode: .backtest)
        let done = sink.snapshot
        #expect(done.detached.isEmpty)
        #expect(done.written == Array(1...5))
        #expect(done.flushedInPlace > 0)
    }

    /// Two instances in one group: the second joins while the first's write is held. The first gives its
    /// partitions up only once that write and its commit are done, so no record is processed twice.
    @Test(.timeLimit(.minutes(1)))
    func aRevokeWaitsForTheWriteInFlight() async throws {
        let broker = InMemoryBroker()
        broker.createTopic(TopicSpec(name: "numbers", partitions: 1))
        let (first, firstSink) = try Self.build("overlap-scale", broker: broker)
        let (second, secondSink) = try Self.build("overlap-scale", broker: broker)
        let partition = TopicPartition(topic: "numbers", partition: 0)
        let firstRun = Task { try await first.run() }
        try Self.produce(1...5, to: broker)
        try await waitUntil("a batch handed over") { !firstSink.snapshot.detached.isEmpty }
        let secondRun = Task { try await second.run() }
        try await waitUntil("two members in the group") {
            broker.state.withLock { $0.members["overlap-scale"]?.count } == 2
        }
        try Self.produce(6...10, to: broker)
        firstSink.state.withLock { $0.isOpen = true }
        secondSink.state.withLock { $0.isOpen = true }
        try await waitUntil("all 10 offsets committed") {
            broker.committedOffsets(group: "overlap-scale")[partition] == 10
        }
        first.stop()
        second.stop()
        try await firstRun.value
        try await secondRun.value
        let written = firstSink.snapshot.written + secondSink.snapshot.written
        #expect(written.sorted() == Array(1...10), "each value once, whichever instance wrote it")
    }

    /// Partitions lost while a write is in flight: the write ends, but nothing of theirs is committed (another
    /// member may own them already); they come back and are committed later from where they are read again.
    @Test(.timeLimit(.minutes(1)))
    func aPartitionLostWhileItsWriteRunsIsNotCommittedFromIt() async throws {
        let broker = RecordingBroker()
        broker.inner.createTopic(TopicSpec(name: "numbers", partitions: 1))
        let (app, sink) = try Self.build(
            "overlap-lost", broker: broker, checkpoint: CheckpointPolicy(records: 5, interval: .seconds(3_600)))
        let partition = TopicPartition(topic: "numbers", partition: 0)
        let run = Task { try await app.run() }
        try Self.produce(1...5, to: broker.inner)
        try await waitUntil("a batch handed over") { !sink.snapshot.detached.isEmpty }
        #expect(sink.snapshot.detached[0].nextOffset == 5)
        broker.loseAndRegain([partition])
        try Self.produce(6...6, to: broker.inner)  // a poll to carry the loss
        sink.state.withLock { $0.isOpen = true }
        try Self.produce(7...10, to: broker.inner)
        try await waitUntil("10 values written") { sink.snapshot.written.count >= 10 }
        app.stop()
        try await run.value
        let committed = broker.commits.compactMap { $0[partition] }
        #expect(!committed.contains(5), "the lost partition was committed from the checkpoint in flight: \(committed)")
        #expect(committed.last == 10)
    }
}
