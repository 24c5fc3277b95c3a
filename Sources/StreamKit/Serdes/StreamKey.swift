/// A type usable as a record key: hashable for state, codable for changelogs and repartition topics,
/// and with a default wire format.
public protocol StreamKey: Hashable, Codable, Sendable {
    /// The format used for keys of this type unless a topic names another.
    static var defaultSerde: Serde<Self> { get }
}

extension String: StreamKey {
    /// UTF-8 text; a null key reads as the empty string.
    public static var defaultSerde: Serde<String> { .string }
}

extension Int: StreamKey {
    /// Decimal text.
    public static var defaultSerde: Serde<Int> { .decimalText }
}

extension Int64: StreamKey {
    /// Decimal text.
    public static var defaultSerde: Serde<Int64> { .decimalText }
}
