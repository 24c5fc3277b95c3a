import Foundation
import StreamKit

/// Learns the columns of a `Decodable` type by decoding one placeholder value with a recording decoder.
///
/// Each stored property of the top-level type becomes a column named as ``TimescaleRowEncoder`` with
/// `.convertToSnakeCase` fills it, typed as that encoder writes it, so the two always agree:
/// `Bool` → `boolean`; `Int8`, `UInt8`, `Int16` → `smallint`; `UInt16`, `Int32` → `integer`; `UInt32`, `Int`,
/// `Int64` → `bigint`; `Float` → `real`; `Double` → `double precision`; `String` → `text`; `Date` and
/// `EventTime` → `timestamptz`; `UUID` → `uuid`; `Decimal` → `numeric`; anything else (arrays, nested structs,
/// enums) → `jsonb`. Optional properties are nullable, the rest `NOT NULL`.
struct TimescaleColumnProbe {
    /// The columns of `type`, in declaration order (the order its `init(from:)` decodes them).
    ///
    /// - Throws: A configuration error naming `setting` when the type is not a struct of named properties
    ///   or a property's type cannot be decoded from a placeholder (a custom `init(from:)` that validates).
    static func columns<T: Decodable>(of type: T.Type, setting: String) throws(TimescaleError) -> [TimescaleColumn] {
        let storage = ProbeStorage()
        do {
            _ = try T(from: ProbeDecoder(storage: storage))
        } catch {
            throw .configuration(
                setting,
                "cannot learn the columns of \(T.self) (\(error)); describe them with TimescaleTable(name:columns:…)")
        }
        guard !storage.columns.isEmpty else {
            throw .configuration(setting, "\(T.self) has no stored properties to make columns of")
        }
        return storage.columns
    }

    /// The column type and a placeholder value of the scalar types the row encoder writes natively.
    static func scalar<T>(_ type: T.Type) -> (TimescaleColumnType, T)? {
        let found: (TimescaleColumnType, Any)? =
            switch type {
            case is Bool.Type: (.boolean, false)
            case is Int8.Type: (.smallint, Int8(0))
            case is UInt8.Type: (.smallint, UInt8(0))
            case is Int16.Type: (.smallint, Int16(0))
            case is UInt16.Type: (.integer, UInt16(0))
            case is Int32.Type: (.integer, Int32(0))
            case is UInt32.Type: (.bigint, UInt32(0))
            case is Int.Type: (.bigint, 0)
            case is Int64.Type: (.bigint, Int64(0))
            case is Float.Type: (.real, Float(0))
            case is Double.Type: (.doublePrecision, 0.0)
            case is String.Type: (.text, "")
            case is Date.Type: (.timestamptz, Date(timeIntervalSince1970: 0))
            case is EventTime.Type: (.timestamptz, EventTime(milliseconds: 0))
            case is UUID.Type: (.uuid, UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
            case is Decimal.Type: (.numeric, Decimal(0))
            default: nil
            }
        guard let (columnType, value) = found, let typed = value as? T else { return nil }
        return (columnType, typed)
    }

    /// A placeholder for any decodable type: the scalar's zero, or a value decoded from placeholders.
    static func placeholder<T: Decodable>(_ type: T.Type, depth: Int) throws -> T {
        if let (_, value) = scalar(type) { return value }
        if let first = (type as? any CaseIterable.Type)?.allCases.first as? T { return first }
        guard depth < 16 else { throw ProbeFailure("\(T.self) nests too deeply") }
        return try T(from: PlaceholderDecoder(depth: depth + 1))
    }
}

private struct ProbeFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The columns found so far; shared by the decoder and its containers (reference semantics, as `Decoder` needs).
private final class ProbeStorage {
    var columns: [TimescaleColumn] = []
    /// Keys asked about with `decodeNil` just before they are decoded: optional properties.
    var nullableKeys: Set<String> = []

    func record<T: Decodable>(_ type: T.Type, key: any CodingKey) throws -> T {
        let name = TimescaleRowEncoder.snakeCase(key.stringValue)
        let isNullable = nullableKeys.contains(name)
        let (columnType, value): (TimescaleColumnType, T) =
            if let scalar = TimescaleColumnProbe.scalar(type) {
                scalar
            } else {
                (.jsonb, try TimescaleColumnProbe.placeholder(type, depth: 0))
            }
        if !columns.contains(where: { $0.name == name }) {
            columns.append(TimescaleColumn(name, columnType, isNullable: isNullable))
        }
        return value
    }
}

/// Records the top-level type's keyed properties as columns.
private struct ProbeDecoder: Decoder {
    let storage: ProbeStorage
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(ProbeContainer(storage: storage))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw ProbeFailure("rows are structs with named properties, not arrays")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw ProbeFailure("rows are structs with named properties, not single values")
    }
}

private struct ProbeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let storage: ProbeStorage
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }

    func decodeNil(forKey key: Key) throws -> Bool {
        storage.nullableKeys.insert(TimescaleRowEncoder.snakeCase(key.stringValue))
        return false
    }

    /// Also witnesses the concrete overloads (`decode(Int.self, forKey:)` …).
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try storage.record(type, key: key) }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        throw ProbeFailure("nested containers have no column; use Encodable properties (stored as jsonb)")
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw ProbeFailure("nested containers have no column; use Encodable properties (stored as jsonb)")
    }

    /// A superclass's properties are columns of the same row, as `TimescaleRowEncoder` writes them.
    func superDecoder() throws -> any Decoder { ProbeDecoder(storage: storage) }
    func superDecoder(forKey key: Key) throws -> any Decoder { ProbeDecoder(storage: storage) }
}

/// Decodes any value from placeholders: zeros, empty strings and arrays, `nil` for optionals.
private struct PlaceholderDecoder: Decoder, SingleValueDecodingContainer, UnkeyedDecodingContainer {
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var count: Int? { 0 }
    var isAtEnd: Bool { true }
    var currentIndex: Int { 0 }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(PlaceholderContainer(depth: depth))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { self }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { false }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try TimescaleColumnProbe.placeholder(type, depth: depth) }
    func decode(_ type: Bool.Type) throws -> Bool { false }
    func decode(_ type: String.Type) throws -> String { "" }
    func decode(_ type: Double.Type) throws -> Double { 0 }
    func decode(_ type: Float.Type) throws -> Float { 0 }
    func decode(_ type: Int.Type) throws -> Int { 0 }
    func decode(_ type: Int8.Type) throws -> Int8 { 0 }
    func decode(_ type: Int16.Type) throws -> Int16 { 0 }
    func decode(_ type: Int32.Type) throws -> Int32 { 0 }
    func decode(_ type: Int64.Type) throws -> Int64 { 0 }
    func decode(_ type: UInt.Type) throws -> UInt { 0 }
    func decode(_ type: UInt8.Type) throws -> UInt8 { 0 }
    func decode(_ type: UInt16.Type) throws -> UInt16 { 0 }
    func decode(_ type: UInt32.Type) throws -> UInt32 { 0 }
    func decode(_ type: UInt64.Type) throws -> UInt64 { 0 }

    // As an unkeyed container it is empty: callers check `isAtEnd` first and never decode from it.
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<
        NestedKey
    > {
        try container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { self }
    mutating func superDecoder() throws -> any Decoder { self }
}

private struct PlaceholderContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    /// Optionals inside a placeholder are `nil`.
    func decodeNil(forKey key: Key) throws -> Bool { true }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try TimescaleColumnProbe.placeholder(type, depth: depth)
    }
    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        KeyedDecodingContainer(PlaceholderContainer<NestedKey>(depth: depth))
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        PlaceholderDecoder(depth: depth)
    }
    func superDecoder() throws -> any Decoder { PlaceholderDecoder(depth: depth) }
    func superDecoder(forKey key: Key) throws -> any Decoder { PlaceholderDecoder(depth: depth) }
}
