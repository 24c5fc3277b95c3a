/// Turns values of one type into bytes and back: the format of a topic's keys or values.
///
/// A serde is a pair of closures chosen once per topic, so the hot path calls them directly with no
/// per-record lookup. Use the built-ins (`.json`, `.string`, `.bytes`) or make your own:
///
///     let celsius = Serde<Double>(
///         serialize: { value, out in out += Array(String(value).utf8) },
///         deserialize: { bytes in Double(String(decoding: bytes, as: UTF8.self)) ?? .nan })
public struct Serde<Value>: Sendable {
    /// Appends the encoding of a value to a reusable buffer.
    public let serialize: @Sendable (Value, inout [UInt8]) throws -> Void
    /// Decodes a value from bytes it may read in place. `nil` bytes (a null key or tombstone) arrive as empty.
    public let deserialize: @Sendable (UnsafeRawBufferPointer) throws -> Value
    /// A short name for descriptions and fingerprints (`json`, `string`, `avro`…).
    public let name: String

    /// Makes a serde from its two directions.
    public init(
        name: String = "custom",
        serialize: @escaping @Sendable (Value, inout [UInt8]) throws -> Void,
        deserialize: @escaping @Sendable (UnsafeRawBufferPointer) throws -> Value
    ) {
        self.name = name
        self.serialize = serialize
        self.deserialize = deserialize
    }

    /// Encodes one value into a new array (convenience off the hot path).
    public func encode(_ value: Value) throws -> [UInt8] {
        var buffer: [UInt8] = []
        try serialize(value, &buffer)
        return buffer
    }

    /// Decodes one value from an array (convenience off the hot path).
    public func decode(_ bytes: [UInt8]) throws -> Value {
        try bytes.withUnsafeBytes { try deserialize($0) }
    }
}

extension Serde where Value == String {
    /// UTF-8 text. Invalid UTF-8 is an error, not silently repaired.
    public static var string: Serde<String> {
        Serde(
            name: "string",
            serialize: { value, out in out.append(contentsOf: value.utf8) },
            deserialize: { bytes in
                // ASCII (most keys) needs no validation; anything else is validated, not repaired.
                if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
                guard let string = String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) else {
                    throw SerdeError(reason: "invalid UTF-8 in a string")
                }
                return string
            })
    }
}

extension Serde where Value == [UInt8] {
    /// The bytes as they are.
    public static var bytes: Serde<[UInt8]> {
        Serde(
            name: "bytes",
            serialize: { value, out in out.append(contentsOf: value) },
            deserialize: { bytes in Array(bytes) })
    }
}

extension Serde where Value: BinaryInteger & LosslessStringConvertible & Sendable {
    /// An integer written as decimal text (how most Kafka tools show numeric keys).
    public static var decimalText: Serde<Value> {
        Serde(
            name: "decimal",
            serialize: { value, out in out.append(contentsOf: String(value).utf8) },
            deserialize: { bytes in
                let text = String(decoding: bytes, as: UTF8.self)
                guard let value = Value(text) else {
                    throw SerdeError(reason: "not a decimal integer: \(text.prefix(40))")
                }
                return value
            })
    }
}
