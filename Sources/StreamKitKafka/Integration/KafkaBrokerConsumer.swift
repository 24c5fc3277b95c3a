import Logging
import StreamKit

/// A StreamKit consumer on Kafka: a ``KafkaConsumer`` in the app's group, with manual commits.
///
/// Polls through ``KafkaConsumer/nextBatch(maxMessages:timeout:)`` (a Dispatch thread, never the cooperative
/// pool), turns the rebalance events buffered meanwhile into `AssignmentEvent`s and the records into
/// per-partition batches read in place.
///
/// **Rebalances.** An orderly revoke is deferred: the partitions stay assigned (the group waits for this member)
/// until the runtime has checkpointed them and calls ``release(_:)``, so their offsets are committed while the
/// member still owns them and the next owner starts exactly after the last processed record. Records of a
/// revoked partition that arrive in the same poll as the revoke are not handed out; they belong to the next
/// owner. Lost partitions (the session expired) are reported as `.lost` and are already gone.
///
/// **Refused commits.** A coordinator may refuse a commit while the group rebalances (librdkafka's mock cluster
/// refuses every commit while its group is joining, so also the one of a deferred revoke), after the checkpoint has
/// written the outputs and changelogs. A partition that comes back to this member in the next assignment then starts
/// at the refused offsets, where its restored changelog state is, and they are committed again for the new
/// generation; starting at the stale committed offsets would count those records twice.
final class KafkaBrokerConsumer: BrokerConsumer {
    let consumer: KafkaConsumer
    private let logger: Logger
    /// Whether ``lag(for:)`` asks the leaders for every partition's end (an exactly-once app's consumer, for the
    /// last stable offset) rather than taking the ends its fetches saw.
    private let asksForLag: Bool
    private var assigned: Set<TopicPartition> = []
    /// The offsets of the last commit the group refused, per partition not committed since: outputs and changelogs
    /// are written up to there. Held for the next assignment only.
    private var refused: [TopicPartition: Int64] = [:] {
        didSet { consumer.startAtNextAssignment(Self.kafka(refused)) }
    }

    init(configuration: KafkaConfiguration, asksForLag: Bool, logger: Logger) throws(KafkaError) {
        self.asksForLag = asksForLag
        var configuration = configuration
        // Backtests stop at the end offsets captured at assignment; the end-of-partition events say when a
        // partition got there, also when its last offsets are transaction markers that are never delivered.
        configuration.properties["enable.partition.eof"] = "true"
        consumer = try KafkaConsumer(configuration: configuration, defersRevocation: true)
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
        var resumed: [TopicPartition: Int64] = [:]
        for event in consumer.drainRebalanceEvents() {
            switch event {
            case .assigned(let partitions):
                // The rebalance callback started these at their refused offsets (``refused``).
                let given = Set(partitions.map(TopicPartition.init))
                resumed.merge(refused.filter { given.contains($0.key) }) { _, new in new }
                refused = [:]
                let added = given.subtracting(assigned)
                assigned.formUnion(added)
                if !added.isEmpty { events.append(.assigned(added.sorted())) }
            case .revoked(let partitions, let lost):
                let removed = Set(partitions.map(TopicPartition.init)).intersection(assigned)
                assigned.subtract(removed)
                touched.formUnion(removed)
                if lost {
                    if !removed.isEmpty { events.append(.lost(removed.sorted())) }
                } else if removed.isEmpty {
                    // Nothing of this member's to checkpoint, yet librdkafka holds the rebalance until the unassign
                    // call, also for the empty revoke the eager protocol sends a member without partitions.
                    try consumer.release(partitions)
                } else {
                    events.append(.revoked(removed.sorted()))
                }
            case .failed(let error):
                // librdkafka has unassigned everything and rejoins: what this member held is lost to it.
                logger.warning("rebalance failed; rejoining", metadata: ["error": "\(error)"])
                touched.formUnion(assigned)
                if !assigned.isEmpty { events.append(.lost(assigned.sorted())) }
                assigned = []
            }
        }
        if !resumed.isEmpty { try await commitAgain(resumed) }
        // Records of partitions revoked in this same poll are not handed out: the next owner reads them from the
        // offsets this member commits before it releases them.
        let polled = KafkaRecordBatch.split(messages)
        let batches = polled.filter { assigned.contains($0.topicPartition) && !touched.contains($0.topicPartition) }
        // A partition lost and given back within this poll may have records of either tenure here, and
        // librdkafka's position has passed them all: it reads again from its committed offset.
        let regained = Set(polled.map(\.topicPartition)).intersection(touched).intersection(assigned)
        if !regained.isEmpty {
            logger.info(
                "partitions given back during the poll that took them: reading again from their committed offsets",
                metadata: ["partitions": "\(regained.sorted())"])
            try await rewind(regained.sorted())
        }
        var ends: [TopicPartition: Int64] = [:]
        for (partition, offset) in messages.endsOfPartition {
            let partition = TopicPartition(partition)
            if assigned.contains(partition), !touched.contains(partition) { ends[partition] = offset }
        }
        return BrokerPoll(events: events, batches: batches, endsReached: ends)
    }

    /// Commits offsets.
    ///
    /// - Throws: `StreamAppError.commitRefused` when the group moved on without this member (a rebalance it was
    ///   too slow for): the next owners of those partitions start from the offsets committed before.
    func commit(_ offsets: [TopicPartition: Int64]) async throws {
        guard !offsets.isEmpty else { return }
        do {
            try await consumer.commit(Self.kafka(offsets))
            if refused.keys.contains(where: { offsets[$0] != nil }) {
                refused = refused.filter { offsets[$0.key] == nil }
            }
        } catch {
            guard Self.isRefusedForRebalance(error) else { throw error }
            refused.merge(offsets) { max($0, $1) }
            throw StreamAppError(.commitRefused, "\(error) for \(offsets.keys.sorted())")
        }
    }

    /// Commits, for the new generation, the refused offsets of partitions given back to this member, which the
    /// rebalance callback started there. Not where the group has committed further meanwhile (another member had
    /// them while this one was out of the group): those read again from the refused offsets, at least once. A
    /// refusal again keeps them for the next assignment.
    private func commitAgain(_ offsets: [TopicPartition: Int64]) async throws {
        let committed = try await consumer.committedOffsets(for: offsets.keys.map(KafkaTopicPartition.init))
        let behind = offsets.filter { partition, offset in
            (committed[KafkaTopicPartition(partition)]?.absolute ?? -1) < offset
        }
        guard !behind.isEmpty else { return }
        logger.info(
            "partitions given back after a refused commit: resuming at the refused offsets, where their changelogs are",
            metadata: ["offsets": "\(behind.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" })"])
        do {
            try await commit(behind)
        } catch let error as StreamAppError where error.code == .commitRefused {
            logger.notice(
                "commit refused again; kept for the next assignment", metadata: ["reason": "\(error.message)"])
        }
    }

    func release(_ partitions: [TopicPartition]) async throws {
        guard !partitions.isEmpty else { return }
        try consumer.release(partitions.map(KafkaTopicPartition.init))
    }

    func rewind(_ partitions: [TopicPartition]) async throws {
        let owned = partitions.filter(assigned.contains)
        guard !owned.isEmpty else { return }
        let committed = try await consumer.committedOffsets(for: owned.map(KafkaTopicPartition.init))
        // Where nothing is committed yet, the group starts where `auto.offset.reset` says: the beginning. A refused
        // commit is further on: the changelogs are written up to there.
        var offsets = committed.mapValues { $0.absolute == nil ? .beginning : $0 }
        for (partition, offset) in refused where owned.contains(partition) {
            let partition = KafkaTopicPartition(partition)
            offsets[partition] = .at(max(offset, committed[partition]?.absolute ?? 0))
        }
        // A long wait: a seek that times out ends the app, and librdkafka's fetcher answers late on a starved machine
        // (seen at 5 s with 2 busy cores).
        try await consumer.seek(offsets, timeout: .seconds(30))
    }

    func endOffsets(for partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
        var ends: [TopicPartition: Int64] = [:]
        for partition in partitions {
            ends[partition] = try await consumer.watermarks(for: KafkaTopicPartition(partition)).high
        }
        return ends
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

    /// Closes the consumer. A close that times out (a group request the broker never answered) is logged, not
    /// thrown: everything is checkpointed by then, and the group hands this member's partitions on once its session
    /// expires.
    func close() async throws {
        do {
            try await consumer.close()
        } catch {
            guard error.code == .timedOut else { throw error }
            logger.warning(
                "the consumer did not close in time; the group takes its partitions over when its session expires",
                metadata: ["error": "\(error)"])
        }
    }

    /// At least once, the lag from each partition's end as its last fetch response gave it, without a request; a
    /// partition not fetched from yet, and every partition of an exactly-once consumer, asks its leader (a request
    /// each, on a Dispatch thread, given two seconds rather than librdkafka's usual ten). The run loop measures
    /// between two polls about once a second, and asking every partition's leader there held processing up by
    /// 10–30 ms each time. The fetched end is the high watermark: at least once (read_committed is librdkafka's
    /// default there too), records of upstream transactions still open count as lag until they end; exactly-once
    /// asks, for the last stable offset.
    func lag(for partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
        let lag = try await consumer.lag(
            for: partitions.map(KafkaTopicPartition.init), timeout: .seconds(2), fetchedEnds: !asksForLag)
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
