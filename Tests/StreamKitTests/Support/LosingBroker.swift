import Synchronization

@testable import StreamKit

/// The in-memory broker with a consumer that can be made to report partitions as lost and given back in one poll,
/// as a Kafka consumer whose session expired does, and that notes every commit. A fake: the in-memory broker has
/// no sessions to expire.
final class LosingBroker: StreamBroker {
    /// Forwards to the in-memory consumer; the next poll after ``LosingBroker/loseAndRegain(_:)`` reports those
    /// partitions lost, then assigned again.
    final class Consumer: BrokerConsumer {
        let inner: any BrokerConsumer
        let broker: LosingBroker

        init(_ inner: any BrokerConsumer, broker: LosingBroker) {
            self.inner = inner
            self.broker = broker
        }

        func subscribe(to topics: [String]) async throws { try await inner.subscribe(to: topics) }
        func poll(maxRecords: Int, timeout: Duration) async throws -> BrokerPoll {
            var poll = try await inner.poll(maxRecords: maxRecords, timeout: timeout)
            let lost = broker.state.withLock { state in
                defer { state.toLose = [] }
                return state.toLose
            }
            if !lost.isEmpty {
                poll.events = [.lost(lost), .assigned(lost)] + poll.events
                poll.batches = poll.batches.filter { !lost.contains($0.topicPartition) }
            }
            return poll
        }
        func commit(_ offsets: [TopicPartition: Int64]) async throws {
            broker.state.withLock { $0.commits.append(offsets) }
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

    struct State {
        var toLose: [TopicPartition] = []
        var commits: [[TopicPartition: Int64]] = []
    }

    let inner = InMemoryBroker()
    let state = Mutex(State())

    /// Every commit so far, in order.
    var commits: [[TopicPartition: Int64]] { state.withLock { $0.commits } }

    /// Makes the next poll report `partitions` lost and assigned again.
    func loseAndRegain(_ partitions: [TopicPartition]) { state.withLock { $0.toLose = partitions } }

    func makeConsumer(group: String, readCommitted: Bool) async throws -> any BrokerConsumer {
        Consumer(try await inner.makeConsumer(group: group, readCommitted: readCommitted), broker: self)
    }

    func makeProducer(transactionalID: String?) async throws -> any BrokerProducer {
        try await inner.makeProducer(transactionalID: transactionalID)
    }

    func createTopics(_ specs: [TopicSpec]) async throws { try await inner.createTopics(specs) }

    nonisolated(nonsending) func readToEnd(
        _ partition: TopicPartition, _ body: (borrowing RawRecordView) throws -> Void
    ) async throws {
        try await inner.readToEnd(partition, body)
    }
}
