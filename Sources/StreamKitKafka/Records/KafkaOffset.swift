/// A position in a partition: an absolute offset or one of librdkafka's logical offsets.
public struct KafkaOffset: Hashable, Sendable, CustomStringConvertible {
    /// The librdkafka value: an offset ≥ 0, or a negative logical offset.
    public var rawValue: Int64

    /// Wraps a librdkafka offset value.
    public init(rawValue: Int64) { self.rawValue = rawValue }

    /// The record at `offset`.
    public static func at(_ offset: Int64) -> KafkaOffset {
        precondition(offset >= 0, "an absolute offset is not negative")
        return KafkaOffset(rawValue: offset)
    }

    /// The oldest retained record.
    public static let beginning = KafkaOffset(rawValue: -2)
    /// The next record to be produced.
    public static let end = KafkaOffset(rawValue: -1)
    /// The group's committed offset, else `auto.offset.reset`.
    public static let stored = KafkaOffset(rawValue: -1000)
    /// No offset (librdkafka's `RD_KAFKA_OFFSET_INVALID`), e.g. nothing committed yet.
    public static let invalid = KafkaOffset(rawValue: -1001)

    /// The absolute offset, or `nil` for a logical one.
    public var absolute: Int64? { rawValue >= 0 ? rawValue : nil }

    /// The number, or `beginning`, `end`, `stored`, `invalid`.
    public var description: String {
        switch rawValue {
        case -2: "beginning"
        case -1: "end"
        case -1000: "stored"
        case -1001: "invalid"
        default: String(rawValue)
        }
    }
}
