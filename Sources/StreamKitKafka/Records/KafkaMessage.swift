/// A consumed record copied out of librdkafka's buffers: an owned value that can be kept and sent anywhere.
///
/// The hot path reads ``KafkaMessageView`` in place instead; make a `KafkaMessage` only when the record must
/// outlive its ``KafkaMessageBatch``.
public struct KafkaMessage: Hashable, Sendable {
    /// The topic the record was read from.
    public var topic: String
    /// The partition the record was read from.
    public var partition: Int
    /// The record's offset in its partition.
    public var offset: Int64
    /// The key bytes; `nil` for a null key.
    public var key: [UInt8]?
    /// The value bytes; `nil` for a null value (a tombstone).
    public var value: [UInt8]?
    /// The record timestamp in milliseconds since the Unix epoch (a wire field), if the broker supplied one.
    public var timestampMs: Int64?
    /// The record headers in wire order.
    public var headers: [KafkaHeader]

    /// Makes a message value.
    public init(
        topic: String, partition: Int, offset: Int64, key: [UInt8]?, value: [UInt8]?, timestampMs: Int64?,
        headers: [KafkaHeader]
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.timestampMs = timestampMs
        self.headers = headers
    }
}
