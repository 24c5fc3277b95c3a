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
}
