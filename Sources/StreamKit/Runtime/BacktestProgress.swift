/// How far a backtest is: the end offsets it must reach per partition, and where each partition is.
///
/// Input partitions get their end when they are assigned. The app's own repartition topics are written while
/// the backtest runs, so their ends are taken in rounds: once every input partition is done, the runtime
/// checkpoints (making what it wrote readable) and takes their ends; when those are reached it checkpoints and
/// takes them again, until a round finds nothing new.
struct BacktestProgress {
    /// The offset each partition must reach.
    private(set) var targets: [TopicPartition: Int64] = [:]
    /// The next offset to read per partition, as far as the polls told.
    private var positions: [TopicPartition: Int64] = [:]
    /// Topics the app writes itself (repartition topics), drained in rounds after the inputs.
    let internalTopics: Set<String>
    /// Whether the internal topics are being drained (the inputs are done).
    private(set) var isDraining = false

    init(internalTopics: Set<String>) {
        self.internalTopics = internalTopics
    }

    /// Sets the ends to reach (at assignment, and for each round of draining).
    mutating func setTargets(_ ends: [TopicPartition: Int64]) {
        targets.merge(ends) { _, new in new }
    }

    /// Forgets partitions this instance no longer owns.
    mutating func forget(_ partitions: [TopicPartition]) {
        for partition in partitions {
            targets[partition] = nil
            positions[partition] = nil
        }
    }

    /// Notes what a poll read and which ends it reached.
    mutating func note(_ batches: [any RecordBatch], endsReached: [TopicPartition: Int64]) {
        for batch in batches { advance(batch.topicPartition, to: batch.nextOffset) }
        for (partition, offset) in endsReached { advance(partition, to: offset) }
    }

    /// Moves a partition's position back, after a rewind to committed offsets.
    mutating func rewind(_ partitions: [TopicPartition]) {
        for partition in partitions { positions[partition] = nil }
    }

    private mutating func advance(_ partition: TopicPartition, to offset: Int64) {
        positions[partition] = max(positions[partition] ?? offset, offset)
    }

    /// Whether every partition in `owned` has reached its end (those of internal topics only once draining).
    func isReached(owned: Set<TopicPartition>) -> Bool {
        owned.allSatisfy { partition in
            if !isDraining && internalTopics.contains(partition.topic) { return true }
            guard let target = targets[partition] else { return false }
            return target <= 0 || (positions[partition] ?? -1) >= target
        }
    }

    /// Starts a round of draining the internal topics: their ends now become the targets. Returns whether the
    /// backtest is done, i.e. every owned partition is already there (nothing was written since the last round).
    mutating func drainRound(ends: [TopicPartition: Int64], owned: Set<TopicPartition>) -> Bool {
        isDraining = true
        setTargets(ends)
        return isReached(owned: owned)
    }
}
