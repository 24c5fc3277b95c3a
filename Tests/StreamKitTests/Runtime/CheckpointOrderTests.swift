import StreamKitTestSupport
import Testing

@testable import StreamKit

/// A checkpoint writes the changelogs only once the outputs before them are delivered: at least once, a crash in
/// between must not restore a state that says a window was emitted while its output was lost.
@Suite("The order of a checkpoint's steps")
struct CheckpointOrderTests {
    @Test func changelogsFollowTheFlushOfEveryOutputBeforeThem() async throws {
        let broker = RecordingBroker()
        let app = try StreamApp(
            name: "ordered", broker: broker, checkpoint: CheckpointPolicy(records: 40, interval: .seconds(60)))
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json, partitions: 2)
        let counts = app.topic("counts", key: String.self, value: WindowResult<String, Int>.self, format: .json)
        app.dataframe(ticks).eventTime(\.tsEventMs).tumblingWindow(.milliseconds(100)).count().final().to(counts)
        broker.inner.createTopic(ticks.spec)
        for i in 0..<400 {
            try broker.inner.appendJSON(
                tick(["A", "B", "C"][i % 3], mid: 1, at: Int64(i * 10), sequence: Int64(i)),
                key: ["A", "B", "C"][i % 3],
                to: "ticks", at: Int64(i * 10))
        }
        try await app.run(mode: .backtest)

        let steps = broker.steps
        let isChangelog = { (step: RecordingBroker.Step) in
            if case .sent(let topic) = step { topic.hasSuffix("-changelog") } else { false }
        }
        #expect(steps.contains(where: isChangelog))
        #expect(steps.contains(.sent(topic: "counts")))
        var unflushedOutput = false
        for step in steps {
            if step == .sent(topic: "counts") { unflushedOutput = true }
            if step == .flushed { unflushedOutput = false }
            if isChangelog(step) { #expect(!unflushedOutput, "a changelog record went out before an output's flush") }
        }
    }

    /// Notes, at each flush, how many changelog records the broker already held.
    final class ChangelogWatchingSink: StreamSink, @unchecked Sendable {
        let broker: InMemoryBroker
        let topic: String
        private(set) var changelogRecordsAtFlush: [Int] = []

        init(broker: InMemoryBroker, topic: String) {
            self.broker = broker
            self.topic = topic
        }

        func append(_ value: WindowResult<String, Int>, context: SinkContext) throws {}

        func flush(checkpoint: SinkCheckpoint) async throws {
            changelogRecordsAtFlush.append(broker.records(in: topic).count)
        }
    }

    @Test func theHarnessFlushesSinksBeforeItWritesChangelogs() async throws {
        let broker = InMemoryBroker()
        let app = try StreamApp(name: "harness-order", broker: broker)
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json)
        let sink = ChangelogWatchingSink(broker: broker, topic: "harness-order-counts-changelog")
        app.dataframe(ticks).eventTime(\.tsEventMs).tumblingWindow(.milliseconds(100), name: "counts").count().final()
            .to(sink)
        let harness = try PipelineHarness(app)
        try harness.send(
            ticks, key: "A", value: tick("A", mid: 1, at: 10, sequence: 1), timestamp: .at(.milliseconds(10)))
        try await harness.checkpoint()
        // The runtime's order: at the sink's flush, this checkpoint's changelog records are not written yet.
        #expect(sink.changelogRecordsAtFlush == [0])
        #expect(!broker.records(in: "harness-order-counts-changelog").isEmpty)
    }
}
