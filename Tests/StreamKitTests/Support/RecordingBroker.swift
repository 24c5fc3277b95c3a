import Synchronization

@testable import StreamKit

/// The in-memory broker, with a log of what the app's producers did in order: which topic each record went to,
/// and when they flushed. For checking the order of a checkpoint's steps.
final class RecordingBroker: StreamBroker {
    enum Step: Equatable, Sendable {
        case sent(topic: String)
        case flushed
    }

    /// Forwards to the in-memory producer and logs each step.
    final class Producer: BrokerProducer {
        let inner: any BrokerProducer
        let broker: RecordingBroker

        init(_ inner: any BrokerProducer, broker: RecordingBroker) {
            self.inner = inner
            self.broker = broker
        }

        private func log(_ step: Step) { broker.recorded.withLock { $0.append(step) } }

        func send(_ record: RawRecord) throws {
            try inner.send(record)
            log(.sent(topic: record.topic))
        }

        func flush() async throws {
            try await inner.flush()
            log(.flushed)
        }

        func beginTransaction() async throws { try await inner.beginTransaction() }

        func commitTransaction(offsets: [TopicPartition: Int64], consumer: any BrokerConsumer) async throws {
            try await inner.commitTransaction(offsets: offsets, consumer: consumer)
        }

        func abortTransaction() async throws { try await inner.abortTransaction() }
        func close() async throws { try await inner.close() }
    }

    let inner = InMemoryBroker()
    private let recorded = Mutex<[Step]>([])

    /// The producers' steps so far, in order.
    var steps: [Step] { recorded.withLock { $0 } }

    func makeConsumer(group: String, readCommitted: Bool) async throws -> any BrokerConsumer {
        try await inner.makeConsumer(group: group, readCommitted: readCommitted)
    }

    func makeProducer(transactionalID: String?) async throws -> any BrokerProducer {
        Producer(try await inner.makeProducer(transactionalID: transactionalID), broker: self)
    }

    func createTopics(_ specs: [TopicSpec]) async throws { try await inner.createTopics(specs) }

    nonisolated(nonsending) func readToEnd(
        _ partition: TopicPartition, _ body: (borrowing RawRecordView) throws -> Void
    ) async throws {
        try await inner.readToEnd(partition, body)
    }
}
