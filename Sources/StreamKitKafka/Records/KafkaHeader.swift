/// One record header: a name and an optional byte value. Names may repeat within a record.
public struct KafkaHeader: Hashable, Sendable {
    /// The header name.
    public var name: String
    /// The header value; `nil` is a null value, distinct from an empty one.
    public var value: [UInt8]?

    /// A header with a byte value.
    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }

    /// A header whose value is the UTF-8 encoding of `value`.
    public init(name: String, value: String) {
        self.init(name: name, value: Array(value.utf8))
    }
}
