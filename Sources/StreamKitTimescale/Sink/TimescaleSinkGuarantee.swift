/// What a ``TimescaleSink`` promises after a crash: idempotent rows, or rows and offsets committed together.
public struct TimescaleSinkGuarantee: Sendable, Hashable {
    /// The consumer group whose offsets are stored with each batch; `nil` at least once.
    public let consumerGroup: String?
    /// The table the offsets go to; `nil` at least once.
    public let offsetsTable: String?

    /// Rows only. A replay after a crash writes the same rows again, which the upsert key makes harmless:
    /// nothing is double counted (a table without an upsert key would get duplicates).
    public static let atLeastOnce = TimescaleSinkGuarantee(consumerGroup: nil, offsetsTable: nil)

    /// Rows and the consumed offsets in one database transaction; on partition assignment the runtime seeks
    /// the sources to the offsets stored there (in an `.exactlyOnce` app, the sink skips the values of records
    /// before them instead), so every record's rows are written exactly once, even into a table without an
    /// upsert key.
    ///
    ///     .to(try TimescaleSink(table: "ticks", on: pg, upsertKey: [], guarantee: .exactlyOnce(group: app.name)))
    ///
    /// - Parameters:
    ///   - group: The app's name, which is the consumer group its checkpoints carry; a flush from another
    ///     group throws. (The sink needs it before its first checkpoint, to answer the runtime's seek on
    ///     assignment.)
    ///   - offsetsTable: Created when missing, shared by every sink and app: one row per
    ///     (consumer group, topic, partition).
    public static func exactlyOnce(group: String, offsetsTable: String = "streamkit_offsets") -> TimescaleSinkGuarantee
    {
        TimescaleSinkGuarantee(consumerGroup: group, offsetsTable: offsetsTable)
    }

    /// Whether offsets are stored with the rows.
    public var isExactlyOnce: Bool { consumerGroup != nil }
}

/// What a ``TimescaleSink`` has done so far.
public struct TimescaleSinkStatistics: Sendable, Hashable {
    /// Flushes that wrote a transaction (rows, offsets or both); flushes with nothing to write are not counted.
    public var flushCount = 0
    /// Rows written, counting each row of each batch once (a replayed row counts again).
    public var writtenRowCount = 0
    /// Rows the database inserted or changed; rows rewritten with identical values are not counted.
    public var changedRowCount = 0
    /// Rows appended and not yet written.
    public var bufferedRowCount = 0
    /// Exactly once: values skipped because their source record was already written with the stored offsets.
    public var skippedReplayCount = 0
}
