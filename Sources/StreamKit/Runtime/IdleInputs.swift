/// Input partitions that have been at their end with nothing new for ``timeout``: idle. Their `keyBy` stages
/// announce it downstream, so an empty or quiet partition does not hold back the windows after a repartition for
/// ever (Flink's source idleness). A partition that gets records again is active again; records of it older than
/// the downstream stream time by then are late.
struct IdleInputs {
    /// How long a partition must sit at its end before it counts as idle.
    static let timeout: Duration = .seconds(30)
    /// Wall time when each partition last had records (or was first seen at its end).
    private var lastActive: [TopicPartition: Duration] = [:]
    /// Partitions at their end as of the last poll that told.
    private var atEnd: Set<TopicPartition> = []
    private var idle: Set<TopicPartition> = []

    /// Notes a poll: partitions with records are active, those at their end may become idle.
    mutating func note(_ batches: [any RecordBatch], endsReached: [TopicPartition: Int64], now: Duration) {
        for batch in batches {
            lastActive[batch.topicPartition] = now
            atEnd.remove(batch.topicPartition)
            idle.remove(batch.topicPartition)
        }
        for partition in endsReached.keys {
            atEnd.insert(partition)
            if lastActive[partition] == nil { lastActive[partition] = now }
        }
    }

    /// Whether `partition` had nothing more to read as of the last poll that told.
    func isAtEnd(_ partition: TopicPartition) -> Bool { atEnd.contains(partition) }

    /// The owned partitions that became idle since the last call.
    mutating func newlyIdle(owned: Set<TopicPartition>, now: Duration) -> [TopicPartition] {
        var found: [TopicPartition] = []
        for partition in atEnd where owned.contains(partition) && !idle.contains(partition) {
            guard let since = lastActive[partition], now - since >= Self.timeout else { continue }
            idle.insert(partition)
            found.append(partition)
        }
        return found.sorted()
    }
}
