/// A consumed position stored with a batch: the next offset to read from one topic partition.
///
/// In exactly-once mode the writer stores these in the `streamkit_offsets` table in the same transaction
/// as the rows, and a restarted source seeks to them instead of the consumer group's committed offsets.
public struct TimescaleOffset: Sendable, Hashable {
    /// The application or consumer group that consumed the records.
    public var consumerGroup: String
    /// The source topic.
    public var topic: String
    /// The source partition.
    public var partition: Int32
    /// The offset of the next record to consume (last written offset + 1).
    public var nextOffset: Int64

    /// Creates an offset record.
    public init(consumerGroup: String, topic: String, partition: Int32, nextOffset: Int64) {
        self.consumerGroup = consumerGroup
        self.topic = topic
        self.partition = partition
        self.nextOffset = nextOffset
    }
}

/// What one ``TimescaleBatchWriter/write(_:offsets:)`` did.
public struct TimescaleWriteResult: Sendable, Hashable {
    /// Rows in the batch.
    public var rowCount: Int
    /// Rows inserted or changed in the target; rows already holding the same values are not counted.
    public var changedRowCount: Int
    /// Transactions tried: 1 unless the connection was lost or the server asked for a retry.
    public var attempts: Int
}
