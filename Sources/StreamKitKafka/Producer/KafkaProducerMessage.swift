/// A record to produce: topic, optional explicit partition, key, value, headers and timestamp.
public struct KafkaProducerMessage: Sendable {
    /// The destination topic.
    public var topic: String
    /// An explicit partition, or `nil` to let the partitioner choose from the key
    /// (``KafkaConfiguration/partitioner``, Java-compatible `murmur2_random` by default).
    public var partition: Int?
    /// The key bytes; `nil` for a null key.
    public var key: [UInt8]?
    /// The value bytes; `nil` for a null value (a tombstone on a compacted topic).
    public var value: [UInt8]?
    /// The record headers, in order.
    public var headers: [KafkaHeader]
    /// The record timestamp in milliseconds since the Unix epoch (a wire field); `nil` means now.
    public var timestampMs: Int64?

    /// Makes a record from bytes.
    public init(
        topic: String, partition: Int? = nil, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader] = [],
        timestampMs: Int64? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMs = timestampMs
    }

    /// Makes a record whose key and value are UTF-8 text.
    public init(
        topic: String, partition: Int? = nil, key: String?, value: String?, headers: [KafkaHeader] = [],
        timestampMs: Int64? = nil
    ) {
        self.init(
            topic: topic, partition: partition, key: key.map { Array($0.utf8) }, value: value.map { Array($0.utf8) },
            headers: headers, timestampMs: timestampMs)
    }
}

/// Where a produced record landed, from librdkafka's delivery report.
public struct KafkaDeliveryReport: Hashable, Sendable {
    /// The topic written to.
    public var topic: String
    /// The partition the record was written to.
    public var partition: Int
    /// The record's offset in the partition (-1 when the broker does not return one, as with `acks=0`).
    public var offset: Int64
    /// The record timestamp in milliseconds since the Unix epoch (a wire field), if known.
    public var timestampMs: Int64?

    /// Makes a report.
    public init(topic: String, partition: Int, offset: Int64, timestampMs: Int64?) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestampMs = timestampMs
    }
}
