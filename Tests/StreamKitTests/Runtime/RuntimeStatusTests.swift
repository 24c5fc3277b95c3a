import StreamKitTestSupport
import Testing

@testable import StreamKit

@Suite("The status and graceful stop of a running app")
struct RuntimeStatusTests {
    private static func makeApp(_ broker: InMemoryBroker, name: String, errors: ErrorPolicy = .fail) throws -> (
        StreamApp, CollectingSink<Int>
    ) {
        let app = try StreamApp(name: name, broker: broker, errors: errors)
        let input = app.topic("in", key: String.self, value: Int.self, format: .json)
        let sink = CollectingSink<Int>()
        app.dataframe(input).map { $0 * 10 }.to(sink)
        broker.createTopic(input.spec)
        return (app, sink)
    }

    @Test(.timeLimit(.minutes(1)))
    func statusFollowsTheRunAndStopCheckpointsEverythingProcessed() async throws {
        let broker = InMemoryBroker()
        let (app, sink) = try Self.makeApp(broker, name: "status")
        for value in 1...5 { try broker.appendJSON(value, key: "k", to: "in") }
        #expect(app.status.snapshot == StreamAppStatus.Snapshot(phase: .created))
        #expect(app.status.snapshot.isLive)

        let run = Task { try await app.run() }
        try await waitUntil("the app to be ready") { app.status.snapshot.isReady(maxLag: 0) }
        let partition = TopicPartition(topic: "in", partition: 0)
        let ready = app.status.snapshot
        #expect(ready.phase == .running)
        #expect(ready.assignedPartitions == [partition])
        #expect(ready.isRestored)
        #expect(ready.lag == [partition: 0])

        for value in 6...8 { try broker.appendJSON(value, key: "k", to: "in") }
        try await waitUntil("8 values in the sink") { sink.values.count == 8 }
        app.stop()
        try await run.value

        // Stopping flushed the sink and committed every record processed: 8 records, next offset 8.
        #expect(app.status.snapshot == StreamAppStatus.Snapshot(phase: .stopped))
        #expect(sink.flushedValues == (1...8).map { $0 * 10 })
        #expect(broker.committedOffsets(group: "status") == [partition: 8])
    }

    @Test func stopBeforeRunEndsTheNextRunAtOnceAndIsThenCleared() async throws {
        let broker = InMemoryBroker()
        let (app, sink) = try Self.makeApp(broker, name: "early-stop")
        app.stop()
        try await app.run()
        #expect(app.status.snapshot.phase == .stopped)
        #expect(sink.values.isEmpty)

        try broker.appendJSON(1, key: "k", to: "in")
        try await app.run(mode: .backtest)
        #expect(sink.flushedValues == [10])
    }

    @Test func failedRunIsNotLiveAndSaysWhy() async throws {
        let broker = InMemoryBroker()
        let (app, _) = try Self.makeApp(broker, name: "failing")
        broker.append(
            RawRecord(topic: "in", key: Array("k".utf8), value: Array("{".utf8), timestamp: .init(milliseconds: 0)))

        await #expect(throws: StreamAppError.self) { try await app.run() }

        let status = app.status.snapshot
        #expect(status.phase == .failed)
        #expect(!status.isLive)
        #expect(!status.isReady(maxLag: .max))
        #expect(status.failure?.contains("StreamAppError.recordFailed") == true)
        #expect(broker.committedOffsets(group: "failing").isEmpty)
    }

    @Test func readinessNeedsRunningRestoredAndCaughtUp() {
        let partition = TopicPartition(topic: "t", partition: 0)
        let running = StreamAppStatus.Snapshot(
            phase: .running, assignedPartitions: [partition], isRestored: true, lag: [partition: 5])
        #expect(running.isReady(maxLag: 5))
        #expect(!running.isReady(maxLag: 4))
        var restoring = running
        restoring.isRestored = false
        #expect(!restoring.isReady(maxLag: .max))
        var unmeasured = running
        unmeasured.lag = [:]
        #expect(!unmeasured.isReady(maxLag: .max))
        var stopping = running
        stopping.phase = .stopping
        #expect(!stopping.isReady(maxLag: .max))
        #expect(stopping.isLive)
        let noInputs = StreamAppStatus.Snapshot(phase: .running, isRestored: true)
        #expect(noInputs.isReady(maxLag: 0))
    }
}
