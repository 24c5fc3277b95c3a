import Logging
import StreamKit

/// A StreamKit consumer on Kafka: a ``KafkaConsumer`` in the app's group, with manual commits.
///
/// Polls through ``KafkaConsumer/nextBatch(maxMessages:timeout:)`` (a Dispatch thread, never the cooperative
/// pool), turns the rebalance events buffered meanwhile into `AssignmentEvent`s and the records into
/// per-partition batches read in place.
///
/// A commit that the coordinator refuses because a rebalance is under way (`REBALANCE_IN_PROGRESS`,
/// `ILLEGAL_GENERATION`, `UNKNOWN_MEMBER_ID`) is not an error of the app: the offsets are kept, the next
/// assignment of those partitions to this member starts from them, and they are committed again once the
/// group is stable. A partition that goes to another member then restarts from the last offset the
/// group committed (at-least-once).
final class KafkaBrokerConsumer: BrokerConsumer {
    let consumer: KafkaConsumer
    private let logger: Logger
    private var assigned: Set<TopicPartition> = []
    private var refusedCommit: [TopicPartition: Int64] = [:]

    init(configuration: KafkaConfiguration, logger: Logger) throws(KafkaError) {
        consumer = try KafkaConsumer(configuration: configuration)
        self.logger = logger
    }

    func subscribe(to topics: [String]) async throws {
        try consumer.subscribe(topics: topics)
    }

    func poll(maxRecords: Int, timeout: Duration) async throws -> BrokerPoll {
        let messages = try await consumer.nextBatch(maxMessages: maxRecords, timeout: timeout)
        for error in messages.errors {
            if error.isFatal { throw error }
            logger.warning("consumer error; librdkafka retries", metadata: ["error": "\(error)"])
        }
        var events: [AssignmentEvent] = []
        var touched: Set<TopicPartition> = []
        for event in consumer.drainRebalanceEvents() {
            switch event {
            case .assigned(let partitions):
                let added = Set(partitions.map(TopicPartition.init)).subtracting(assigned)
                assigned.formUnion(added)
                if !added.isEmpty { events.append(.assigned(added.sorted())) }
            case .revoked(let partitions, _):
                let removed = Set(partitions.map(TopicPartition.init)).intersection(assigned)
                assigned.subtract(removed)
                touched.formUnion(removed)
                if !removed.isEmpty { events.append(.revoked(removed.sorted())) }
            case .failed(let error):
                // librdkafka has unassigned everything and rejoins; the app checkpoints what it held.
                logger.warning("rebalance failed; rejoining", metadata: ["error": "\(error)"])
                touched.formUnion(assigned)
                if !assigned.isEmpty { events.append(.revoked(assigned.sorted())) }
                assigned = []
            }
        }
        if events.contains(where: { if case .assigned = $0 { true } else { false } }) {
            await retryRefusedCommit()
        }
        // Records fetched before a revoke in this same poll are dropped: they are read again from the committed
        // offset by whichever member owns the partition now.
        let batches = KafkaRecordBatch.split(messages).filter {
            assigned.contains($0.topicPartition) && !touched.contains($0.topicPartition)
        }
        return BrokerPoll(events: events, batches: batches)
    }

    func commit(_ offsets: [TopicPartition: Int64]) async throws {
        guard !offsets.isEmpty else { return }
        do {
            try await consumer.commit(Self.kafka(offsets))
        } catch {
            guard Self.isRefusedForRebalance(error) else { throw error }
            refusedCommit.merge(offsets) { _, new in new }
            consumer.setStartOffsetsForNextAssignment(Self.kafka(refusedCommit))
            logger.notice(
                "commit refused during a rebalance; kept for the next assignment",
                metadata: ["error": "\(error)", "offsets": "\(offsets.count)"])
        }
    }

    /// Commits the offsets refused during the last rebalance for the partitions this member holds again, and
    /// forgets the rest (their new owner starts from the group's committed offset).
    private func retryRefusedCommit() async {
        guard !refusedCommit.isEmpty else { return }
        let owned = refusedCommit.filter { assigned.contains($0.key) }
        _ = consumer.takeStartOffsetsForNextAssignment(Array(Self.kafka(refusedCommit).keys))
        refusedCommit = [:]
        guard !owned.isEmpty else { return }
        do {
            try await consumer.commit(Self.kafka(owned))
        } catch {
            refusedCommit = owned
            logger.notice(
                "commit after rebalance refused; retried at the next checkpoint", metadata: ["error": "\(error)"])
        }
    }

    func seek(_ partition: TopicPartition, to offset: Int64) throws {
        try consumer.client.seek([(KafkaTopicPartition(partition), offset)], timeoutMs: 0)
    }

    func pause(_ partitions: [TopicPartition]) throws {
        try consumer.pause(partitions.map(KafkaTopicPartition.init))
    }

    func resume(_ partitions: [TopicPartition]) throws {
        try consumer.resume(partitions.map(KafkaTopicPartition.init))
    }

    func close() async throws {
        try await consumer.close()
    }

    /// Asks the partition leaders for their watermarks (one request per partition, on a Dispatch thread); the run
    /// loop waits for the answer, so a slow cluster is given two seconds rather than librdkafka's usual ten.
    func lag(for partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
        let lag = try await consumer.lag(for: partitions.map(KafkaTopicPartition.init), timeout: .seconds(2))
        return Dictionary(uniqueKeysWithValues: lag.map { (TopicPartition($0.key), $0.value) })
    }

    private static func isRefusedForRebalance(_ error: KafkaError) -> Bool {
        [.rebalanceInProgress, .illegalGeneration, .unknownMemberID].contains(error.code)
    }

    static func kafka(_ offsets: [TopicPartition: Int64]) -> [KafkaTopicPartition: Int64] {
        Dictionary(uniqueKeysWithValues: offsets.map { (KafkaTopicPartition($0.key), $0.value) })
    }
}

extension TopicPartition {
    /// The core's name for a Kafka partition.
    init(_ partition: KafkaTopicPartition) {
        self.init(topic: partition.topic, partition: partition.partition)
    }
}

extension KafkaTopicPartition {
    /// The Kafka adapter's name for a core partition.
    init(_ partition: TopicPartition) {
        self.init(topic: partition.topic, partition: partition.partition)
    }
}
