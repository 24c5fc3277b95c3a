/// An untyped record as a broker stores it: key and value bytes, timestamp, headers, position.
public struct RawRecord: Hashable, Sendable {
    /// The topic it belongs to.
    public var topic: String
    /// The partition; `nil` on a record about to be produced lets the broker choose by key.
    public var partition: Int?
    /// The offset; meaningful only for records read from a broker.
    public var offset: Int64
    /// The key bytes; `nil` is a null key.
    public var key: [UInt8]?
    /// The value bytes; `nil` is a tombstone.
    public var value: [UInt8]?
    /// The record timestamp.
    public var timestamp: EventTime
    /// The headers.
    public var headers: [RecordHeader]

    /// Makes a raw record.
    public init(
        topic: String, partition: Int? = nil, offset: Int64 = -1, key: [UInt8]?, value: [UInt8]?,
        timestamp: EventTime, headers: [RecordHeader] = []
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.headers = headers
    }

    /// Lends this record as a view, the form a pipeline reads.
    public func withView<R>(_ body: (borrowing RawRecordView) throws -> R) rethrows -> R {
        try withOptionalBytes(key) { keyBytes in
            try withOptionalBytes(value) { valueBytes in
                try body(
                    RawRecordView(
                        topic: topic, partition: partition ?? 0, offset: offset, timestamp: timestamp,
                        key: keyBytes, value: valueBytes, headers: headers))
            }
        }
    }
}

/// A record read in place from a broker's buffer; its bytes are valid only inside the closure that lends it.
///
/// Brokers hand batches of views to the pipeline so that deserialisation reads straight from the
/// consumer's buffer, without a copy.
public struct RawRecordView: ~Copyable {
    /// The topic.
    public let topic: String
    /// The partition.
    public let partition: Int
    /// The offset.
    public let offset: Int64
    /// The broker timestamp.
    public let timestamp: EventTime
    /// The key bytes, `nil` for a null key. Do not let the pointer escape.
    public let key: UnsafeRawBufferPointer?
    /// The value bytes, `nil` for a tombstone. Do not let the pointer escape.
    public let value: UnsafeRawBufferPointer?
    /// The headers.
    public let headers: [RecordHeader]

    /// Makes a view over bytes owned by the caller.
    public init(
        topic: String, partition: Int, offset: Int64, timestamp: EventTime, key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer?, headers: [RecordHeader]
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// Copies the view into an owned record: to keep a record beyond the closure that lent the view (the
    /// dead-letter path, ``StreamBroker/rawRecords(in:)``).
    public func copy() -> RawRecord {
        RawRecord(
            topic: topic, partition: partition, offset: offset, key: key.map { Array($0) },
            value: value.map { Array($0) }, timestamp: timestamp, headers: headers)
    }

    /// The record's position.
    public var position: SourcePosition { SourcePosition(topic: topic, partition: partition, offset: offset) }
}

/// Calls `body` with the bytes of `array`, or with `nil`.
package func withOptionalBytes<R>(
    _ array: [UInt8]?, _ body: (UnsafeRawBufferPointer?) throws -> R
) rethrows -> R {
    guard let array else { return try body(nil) }
    return try array.withUnsafeBytes { try body($0) }
}
