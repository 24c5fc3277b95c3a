import StreamKit
import Synchronization

/// The in-memory broker with every `readToEnd` — the state-layout check at start-up, each changelog restore at an
/// assignment — held until the test lets it through, so the test can look at the app while it waits.
final class HeldReadsBroker: StreamBroker {
    private struct Gate {
        var permits = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    /// The broker that holds the topics.
    let topics = InMemoryBroker()
    private let gate = Mutex(Gate())

    /// How many reads are waiting to be let through.
    var waitingReads: Int { gate.withLock { $0.waiting.count } }

    /// Lets the oldest waiting read, or else the next one to come, go through.
    func allowOneRead() {
        let next = gate.withLock { gate -> CheckedContinuation<Void, Never>? in
            guard !gate.waiting.isEmpty else {
                gate.permits += 1
                return nil
            }
            return gate.waiting.removeFirst()
        }
        next?.resume()
    }

    nonisolated(nonsending) func readToEnd(
        _ partition: TopicPartition, _ body: (borrowing RawRecordView) throws -> Void
    ) async throws {
        await withCheckedContinuation { continuation in
            let goNow = gate.withLock { gate in
                guard gate.permits > 0 else {
                    gate.waiting.append(continuation)
                    return false
                }
                gate.permits -= 1
                return true
            }
            if goNow { continuation.resume() }
        }
        try await topics.readToEnd(partition, body)
    }

    func makeConsumer(group: String, readCommitted: Bool) async throws -> any BrokerConsumer {
        try await topics.makeConsumer(group: group, readCommitted: readCommitted)
    }

    func makeProducer(transactionalID: String?) async throws -> any BrokerProducer {
        try await topics.makeProducer(transactionalID: transactionalID)
    }

    func createTopics(_ specs: [TopicSpec]) async throws {
        try await topics.createTopics(specs)
    }
}
