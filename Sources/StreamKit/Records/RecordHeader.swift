/// One header of a record: a name and opaque bytes, as in Kafka.
public struct RecordHeader: Hashable, Sendable {
    /// The header's name.
    public var name: String
    /// The header's value bytes.
    public var value: [UInt8]

    /// Makes a header from a name and raw bytes.
    public init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
    }

    /// Makes a header whose value is the UTF-8 of `value`.
    public init(name: String, utf8 value: String) {
        self.init(name: name, value: Array(value.utf8))
    }

    /// The value decoded as UTF-8 (invalid sequences repaired).
    public var stringValue: String { String(decoding: value, as: UTF8.self) }
}

extension Array where Element == RecordHeader {
    /// The UTF-8 value of the first header named `name`, if any.
    public func value(named name: String) -> String? {
        first { $0.name == name }?.stringValue
    }
}
