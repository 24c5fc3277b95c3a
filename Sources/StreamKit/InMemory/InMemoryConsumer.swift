/// A member of a consumer group on the in-memory broker.
final class InMemoryConsumer: BrokerConsumer {
    private let broker: InMemoryBroker
    let group: String
    private var topics: [String] = []
    private var assigned: Set<TopicPartition> = []
    private var positions: [TopicPartition: Int64] = [:]
    private var paused: Set<TopicPartition> = []
    private var isMember = false

    init(broker: InMemoryBroker, group: String) {
        self.broker = broker
        self.group = group
    }

    func subscribe(to topics: [String]) async throws {
        self.topics = topics
        if !isMember {
            broker.state.withLock { $0.members[group, default: []].append(ObjectIdentifier(self)) }
            isMember = true
        }
    }

    func poll(maxRecords: Int, timeout: Duration) async throws -> BrokerPoll {
        var poll = BrokerPoll(events: rebalance())
        // As with Kafka, records of newly assigned partitions come with a later poll, after the runtime
        // restored their state and sought to stored offsets.
        if !poll.events.isEmpty { return poll }
        var budget = maxRecords
        for partition in assigned.sorted() where !paused.contains(partition) && budget > 0 {
            let position = positions[partition] ?? 0
            let available = broker.records(in: partition, from: position)
            let records = available.prefix(budget)
            if records.count == available.count { poll.endsReached[partition] = position + Int64(records.count) }
            guard !records.isEmpty else { continue }
            budget -= records.count
            positions[partition] = position + Int64(records.count)
            poll.batches.append(InMemoryBatch(topicPartition: partition, records: records))
        }
        if poll.batches.isEmpty && poll.events.isEmpty {
            try await Task.sleep(for: min(timeout, .milliseconds(2)))
        }
        return poll
    }

    /// Compares this member's share with what it holds and reports the difference.
    private func rebalance() -> [AssignmentEvent] {
        let me = ObjectIdentifier(self)
        let (target, committed) = broker.state.withLock { state in
            (state.assignment(of: me, group: group, topics: topics), state.committed[group] ?? [:])
        }
        guard target != assigned else { return [] }
        var events: [AssignmentEvent] = []
        let revoked = assigned.subtracting(target)
        let added = target.subtracting(assigned)
        if !revoked.isEmpty {
            events.append(.revoked(revoked.sorted()))
            for partition in revoked { positions[partition] = nil }
        }
        if !added.isEmpty {
            events.append(.assigned(added.sorted()))
            for partition in added { positions[partition] = committed[partition] ?? 0 }
        }
        assigned = target
        return events
    }

    func commit(_ offsets: [TopicPartition: Int64]) async throws {
        broker.commit(offsets, group: group)
    }

    func seek(_ partition: TopicPartition, to offset: Int64) throws {
        positions[partition] = offset
    }

    func lag(for partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
        let committed = broker.committedOffsets(group: group)
        var lag: [TopicPartition: Int64] = [:]
        for partition in partitions {
            let position = positions[partition] ?? committed[partition] ?? 0
            lag[partition] = Int64(broker.records(in: partition, from: position).count)
        }
        return lag
    }

    /// The in-memory group reassigns at the next poll of each member; nothing waits for the release.
    func release(_ partitions: [TopicPartition]) async throws {}

    func rewind(_ partitions: [TopicPartition]) async throws {
        let committed = broker.committedOffsets(group: group)
        for partition in partitions where assigned.contains(partition) {
            positions[partition] = committed[partition] ?? 0
        }
    }

    func endOffsets(for partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
        var ends: [TopicPartition: Int64] = [:]
        for partition in partitions { ends[partition] = Int64(broker.records(in: partition, from: 0).count) }
        return ends
    }

    func pause(_ partitions: [TopicPartition]) throws { paused.formUnion(partitions) }

    func resume(_ partitions: [TopicPartition]) throws { paused.subtract(partitions) }

    func close() async throws {
        let me = ObjectIdentifier(self)
        broker.state.withLock { $0.members[group]?.removeAll { $0 == me } }
        isMember = false
    }
}
