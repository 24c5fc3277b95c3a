import Foundation
import Logging
import StreamKit
import StreamKitTestSupport
import Testing
import UnixSignals

@testable import StreamKitOperations

@Suite("Termination signals")
struct ShutdownSignalTests {
    @Test func theFirstSignalShutsDownGracefullyAndTheSecondExitsAtOnce() {
        var state = ShutdownSignalState()
        #expect(state.on(.sigterm) == .shutDownGracefully)
        #expect(state.on(.sigint) == .exit(status: 128 + 2))  // SIGINT is 2
        #expect(state.on(.sigterm) == .exit(status: 128 + 15))  // SIGTERM is 15
    }

    /// Sends this test process a real SIGTERM. `StreamKitRunner.run` traps it before it starts the app, so once
    /// the app runs the signal can only reach the service's handler.
    @Test(.timeLimit(.minutes(1)))
    func sigtermStopsTheAppAfterAFinalCheckpoint() async throws {
        let broker = InMemoryBroker()
        let app = try StreamApp(name: "signalled", broker: broker)
        let sink = CollectingSink<Int>()
        app.dataframe(app.topic("in", key: String.self, value: Int.self, format: .json)).to(sink)
        broker.createTopic(TopicSpec(name: "in", partitions: 1))
        for value in 1...3 {
            broker.append(
                RawRecord(
                    topic: "in", key: Array("k".utf8), value: Array("\(value)".utf8), timestamp: .init(milliseconds: 0)
                ))
        }
        let run = Task { try await StreamKitRunner.run(app, logger: Logger(label: "signal-test")) }
        try await waitUntil("the app to process the records") { sink.values.count == 3 }

        kill(getpid(), SIGTERM)
        try await run.value

        #expect(app.status.snapshot.phase == .stopped)
        #expect(sink.flushedValues == [1, 2, 3])
        #expect(broker.committedOffsets(group: "signalled") == [TopicPartition(topic: "in", partition: 0): 3])
    }
}
