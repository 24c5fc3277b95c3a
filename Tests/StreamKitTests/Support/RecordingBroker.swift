import Synchronization

@testable import StreamKit

/// The in-memory broker, with a log of what the app's producers did in order (which topic each record went to, and
/// when they flushed) and of every commit its consumers made; for checking the order of a checkpoint's steps. Its
/// consumers can also be made to report partitions lost and given back in one poll, as a Kafka consumer whose
/// session expired does (``loseAndRegain(_:)``): a fake, since the in-memory broker has no sessions to expire.
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

    /// Forwards to the in-memory consumer; the next poll after ``RecordingBroker/loseAndRegain(_:)`` reports those
    /// partitions lost, then assigned again.
    final class Consumer: BrokerConsumer {
        let inner: any BrokerConsumer
        let broker: RecordingBroker

        init(_ inner: any BrokerConsumer, broker: RecordingBroker) {
            self.inner = inner
            self.broker = broker
        }

        func subscribe(to topics: [String]) async throws { try await inner.subscribe(to: topics) }
        func poll(maxRecords: Int, timeout: Duration) async throws -> BrokerPoll {
            var poll = try await inner.poll(maxRecords: maxRecords, timeout: timeout)
            let lost = broker.toLose.withLock { toLose in
                defer { toLose = [] }
                return toLose
            }
            if !lost.isEmpty {
                poll.events = [.lost(lost), .assigned(lost)] + poll.events
                poll.batches = poll.batches.filter { !lost.contains($0.topicPartition) }
            }
            return poll
        }
        func commit(_ offsets: [TopicPartition: Int64]) async throws {
            broker.committed.withLock { $0.append(offsets) }
            try await inner.commit(offsets)
        }
        func seek(_ partition: TopicPartition, to offset: Int64) throws { try inner.seek(partition, to: offset) }
        func pause(_ partitions: [TopicPartition]) throws { try inner.pause(partitions) }
        func resume(_ partitions: [TopicPartition]) throws { try inner.resume(partitions) }
        func lag(for partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
            try await inner.lag(for: partitions)
        }
        func release(_ partitions: [TopicPartition]) async throws { try await inner.release(partitions) }
        func rewind(_ partitions: [TopicPartition]) async throws { try await inner.rewind(partitions) }
        func endOffsets(for partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
            try await inner.endOffsets(for: partitions)
        }
        func close() async throws { try await inner.close() }
    }

    let inner = InMemoryBroker()
    private let recorded = Mutex<[Step]>([])
    private let committed = Mutex<[[TopicPartition: Int64]]>([])
    private let toLose = Mutex<[TopicPartition]>([])

    /// The producers' steps so far, in order.
    var steps: [Step] { recorded.withLock { $0 } }

    /// Every commit of the consumers so far, in order.
    var commits: [[TopicPartition: Int64]] { committed.withLock { $0 } }

    /// Makes the next poll report `partitions` lost and assigned again.
    func loseAndRegain(_ partitions: [TopicPartition]) { toLose.withLock { $0 = partitions } }

    func makeConsumer(group: String, readCommitted: Bool) async throws -> any BrokerConsumer {
        Consumer(try await inner.makeConsumer(group: group, readCommitted: readCommitted), broker: self)
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
