import Synchronization

/// A broker in process memory: topics with partitions and offsets, consumer groups with committed
/// offsets and partition assignment, and transactions.
///
/// It is what `StreamApp` uses by default and what `PipelineHarness` runs on, so pipelines can be run
/// and tested with no Kafka. Semantics follow Kafka where it matters to StreamKit: keys are
/// partitioned with murmur2, offsets are per partition, members of one group share the partitions
/// (partition `p` of every topic goes to the same member), transactional writes and their offsets become
/// visible together at commit and vanish on abort. Topics that are used but never created get one
/// partition, like Kafka's `auto.create.topics.enable`.
public final class InMemoryBroker: StreamBroker {
    let state = Mutex(BrokerState())

    /// Makes an empty broker.
    public init() {}

    // MARK: - StreamBroker

    public func makeConsumer(group: String, readCommitted: Bool) async throws -> any BrokerConsumer {
        InMemoryConsumer(broker: self, group: group)
    }

    public func makeProducer(transactionalID: String?) async throws -> any BrokerProducer {
        InMemoryProducer(broker: self, isTransactional: transactionalID != nil)
    }

    public func createTopics(_ specs: [TopicSpec]) async throws {
        for spec in specs { createTopic(spec) }
    }

    public func partitionCounts(of topics: [String]) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for topic in topics { counts[topic] = partitionCount(of: topic) }
        return counts
    }

    public nonisolated(nonsending) func readToEnd(
        _ partition: TopicPartition, _ body: (borrowing RawRecordView) throws -> Void
    ) async throws {
        for record in records(in: partition, from: 0) { try record.withView(body) }
    }

    // MARK: - Direct access (harness, tests, demos)

    /// Creates a topic unless it exists.
    public func createTopic(_ spec: TopicSpec) {
        state.withLock { state in
            if state.topics[spec.name] == nil {
                state.topics[spec.name] = Array(repeating: [], count: spec.partitions)
            }
        }
    }

    /// Appends a record (partitioned by key when `record.partition` is `nil`) and returns where it went.
    @discardableResult
    public func append(_ record: RawRecord) -> SourcePosition {
        state.withLock { $0.append(record) }
    }

    /// The records of one partition from `offset` on.
    public func records(in partition: TopicPartition, from offset: Int64 = 0) -> ArraySlice<RawRecord> {
        state.withLock { state in
            guard let partitions = state.topics[partition.topic], partition.partition < partitions.count else {
                return []
            }
            let log = partitions[partition.partition]
            return log[min(Int(offset), log.count)...]
        }
    }

    /// Every record of a topic, partition by partition, in offset order.
    public func records(in topic: String) -> [RawRecord] {
        state.withLock { $0.topics[topic]?.flatMap { $0 } ?? [] }
    }

    /// The number of partitions of a topic, or `nil` if it does not exist.
    public func partitionCount(of topic: String) -> Int? {
        state.withLock { $0.topics[topic]?.count }
    }

    /// The offsets a group has committed.
    public func committedOffsets(group: String) -> [TopicPartition: Int64] {
        state.withLock { $0.committed[group] ?? [:] }
    }

    /// Removes each partition's records from the given offset on (an aborted transaction, for the harness).
    func truncate(_ ends: [TopicPartition: Int64]) {
        state.withLock { state in
            for (partition, offset) in ends {
                guard let count = state.topics[partition.topic]?[partition.partition].count, offset < count else {
                    continue
                }
                state.topics[partition.topic]![partition.partition].removeLast(count - Int(offset))
            }
        }
    }

    /// Commits offsets for a group.
    public func commit(_ offsets: [TopicPartition: Int64], group: String) {
        state.withLock { state in state.committed[group, default: [:]].merge(offsets) { _, new in new } }
    }
}

/// The broker's data, guarded by its mutex.
struct BrokerState {
    var topics: [String: [[RawRecord]]] = [:]
    var committed: [String: [TopicPartition: Int64]] = [:]
    /// Members of each group, in join order.
    var members: [String: [ObjectIdentifier]] = [:]
    var roundRobin = 0

    mutating func partitions(of topic: String) -> Int {
        if let partitions = topics[topic] { return partitions.count }
        topics[topic] = [[]]
        return 1
    }

    mutating func append(_ record: RawRecord) -> SourcePosition {
        let count = partitions(of: record.topic)
        let partition: Int
        if let explicit = record.partition {
            precondition(explicit >= 0 && explicit < count, "partition \(explicit) of '\(record.topic)' does not exist")
            partition = explicit
        } else if let key = record.key {
            partition = Murmur2.partition(for: key, partitions: count)
        } else {
            roundRobin &+= 1
            partition = roundRobin % count
        }
        var stored = record
        stored.partition = partition
        stored.offset = Int64(topics[record.topic]![partition].count)
        topics[record.topic]![partition].append(stored)
        return SourcePosition(topic: record.topic, partition: partition, offset: stored.offset)
    }

    /// The partitions of `topics` that belong to `member` of `group`: partition number `p` of every topic
    /// goes to member `p % memberCount`, so co-partitioned topics stay together.
    mutating func assignment(of member: ObjectIdentifier, group: String, topics names: [String]) -> Set<TopicPartition>
    {
        guard let members = members[group], let index = members.firstIndex(of: member) else { return [] }
        var result: Set<TopicPartition> = []
        for name in names {
            for p in 0..<partitions(of: name) where p % members.count == index {
                result.insert(TopicPartition(topic: name, partition: p))
            }
        }
        return result
    }
}

/// A batch of in-memory records.
struct InMemoryBatch: RecordBatch {
    let topicPartition: TopicPartition
    let records: ArraySlice<RawRecord>

    var count: Int { records.count }
    var nextOffset: Int64 { (records.last?.offset ?? -1) + 1 }

    func forEach(_ body: (borrowing RawRecordView) throws -> Void) rethrows {
        // Borrow each stored record in place: a `for … in` loop would copy every record (and retain
        // its four buffers) before lending it.
        try records.withUnsafeBufferPointer { buffer in
            for i in buffer.indices {
                let key = buffer[i].key
                let value = buffer[i].value
                try withOptionalBytes(key) { keyBytes in
                    try withOptionalBytes(value) { valueBytes in
                        try body(
                            RawRecordView(
                                topic: topicPartition.topic, partition: topicPartition.partition,
                                offset: buffer[i].offset, timestamp: buffer[i].timestamp, key: keyBytes,
                                value: valueBytes, headers: buffer[i].headers))
                    }
                }
            }
        }
    }
}
