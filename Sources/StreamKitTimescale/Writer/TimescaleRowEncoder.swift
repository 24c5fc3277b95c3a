import Foundation

/// Maps `Encodable` values to ``TimescaleRow``s in the column order of a ``TimescaleTable``.
///
/// Each stored property of the top-level value fills the column of the same name (after the key strategy):
/// `Bool`, integers, `Float`, `Double`, `String`, `Date` (→ `timestamptz`), `UUID`, `Decimal` (→ `numeric`),
/// and any nested `Encodable` (arrays, structs) into a `jsonb` column as JSON. `nil` and absent properties
/// become `NULL`; properties without a column are ignored. Values are widened to the column type as in
/// ``TimescaleValue``.
///
///     struct Bar: Encodable { var symbol: String; var windowStart: Date; var meanMid: Double }
///     let encoder = TimescaleRowEncoder(table: bars, keyStrategy: .convertToSnakeCase)
///     try await writer.write(bars.map(encoder.encode))
public struct TimescaleRowEncoder: Sendable {
    /// How property names become column names.
    public enum KeyStrategy: Sendable {
        /// The coding key as it is.
        case useDefaultKeys
        /// `windowStart` becomes `window_start`, as `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase` does.
        case convertToSnakeCase
    }

    /// The columns rows are made for.
    public let columns: [TimescaleColumn]
    /// The key strategy.
    public let keyStrategy: KeyStrategy
    private let indexByName: [String: Int]
    private let isNotNull: [Bool]

    /// Creates an encoder for the columns of `table`.
    public init(table: TimescaleTable, keyStrategy: KeyStrategy = .useDefaultKeys) {
        columns = table.columns
        self.keyStrategy = keyStrategy
        isNotNull = table.isNotNull
        var indexByName = Dictionary(uniqueKeysWithValues: table.columns.enumerated().map { ($1.name, $0) })
        if keyStrategy == .convertToSnakeCase {
            // The coding key that converts to each column name, found once here rather than converting every
            // key of every row: `window_start` ← `windowStart`. Kept only where the conversion agrees.
            for (index, column) in table.columns.enumerated() {
                let key = Self.camelCase(column.name)
                if key != column.name, Self.snakeCase(key) == column.name, indexByName[key] == nil {
                    indexByName[key] = index
                }
            }
        }
        self.indexByName = indexByName
    }

    /// Encodes `value` into a row.
    ///
    /// - Throws: A value-type ``TimescaleError`` naming the column when a property does not fit its column,
    ///   or when a `NOT NULL` column (declared so, or in the upsert key or the time column) gets no value.
    public func encode<Value: Encodable>(_ value: Value) throws -> TimescaleRow {
        let storage = RowStorage(encoder: self, count: columns.count)
        try value.encode(to: RowEncoder(storage: storage))
        for (index, column) in columns.enumerated() where isNotNull[index] && storage.values[index] == .null {
            var error = TimescaleError(code: .valueType, message: "no value for a NOT NULL column")
            error.column = column.name
            throw error
        }
        return TimescaleRow(storage.values)
    }

    func columnIndex(for key: any CodingKey) -> Int? {
        switch keyStrategy {
        case .useDefaultKeys: indexByName[key.stringValue]
        case .convertToSnakeCase: indexByName[key.stringValue] ?? indexByName[Self.snakeCase(key.stringValue)]
        }
    }

    /// `window_start` → `windowStart`: the inverse of ``snakeCase(_:)`` where there is one.
    static func camelCase(_ name: String) -> String {
        var result = ""
        var upperNext = false
        for character in name {
            if character == "_" && !result.isEmpty {
                upperNext = true
            } else {
                result.append(contentsOf: upperNext ? character.uppercased() : String(character))
                upperNext = false
            }
        }
        return result
    }

    static func snakeCase(_ name: String) -> String {
        var result = ""
        var previousWasLower = false
        for character in name {
            if character.isUppercase {
                if previousWasLower { result.append("_") }
                result.append(contentsOf: character.lowercased())
                previousWasLower = false
            } else {
                result.append(character)
                previousWasLower = character.isLowercase || character.isNumber
            }
        }
        return result
    }

    func value(_ value: some Encodable, column: Int) throws -> TimescaleValue {
        let type = columns[column].type
        let converted: TimescaleValue?
        switch value {
        case let v as TimescaleValueConvertible: converted = v.timescaleValue.converted(to: type.kind)
        case let v as Decimal: converted = try TimescaleValue.numeric(TimescaleNumeric(v)).converted(to: type.kind)
        case let v as UInt8: converted = TimescaleValue.int16(Int16(v)).converted(to: type.kind)
        case let v as UInt16: converted = TimescaleValue.int32(Int32(v)).converted(to: type.kind)
        case let v as UInt32: converted = TimescaleValue.int64(Int64(v)).converted(to: type.kind)
        case let v as Int8: converted = TimescaleValue.int16(Int16(v)).converted(to: type.kind)
        default:
            guard type.kind == .jsonb else {
                converted = nil
                break
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            converted = .jsonb(String(decoding: try encoder.encode(value), as: UTF8.self))
        }
        guard let converted else {
            var error = TimescaleError(
                code: .valueType, message: "a \(Swift.type(of: value)) property does not fit column type \(type)")
            error.column = columns[column].name
            throw error
        }
        return converted
    }
}

/// The row being filled; shared by the encoder and its container (reference semantics as `Encoder` needs).
private final class RowStorage {
    let encoder: TimescaleRowEncoder
    var values: [TimescaleValue]

    init(encoder: TimescaleRowEncoder, count: Int) {
        self.encoder = encoder
        values = Array(repeating: .null, count: count)
    }
}

private struct RowEncoder: Encoder {
    let storage: RowStorage
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(RowContainer(storage: storage))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        preconditionFailure("TimescaleRowEncoder encodes structs with named properties, not arrays")
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        preconditionFailure("TimescaleRowEncoder encodes structs with named properties, not single values")
    }
}

private struct RowContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let storage: RowStorage
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws {}

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        guard let column = storage.encoder.columnIndex(for: key) else { return }
        storage.values[column] = try storage.encoder.value(value, column: column)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        preconditionFailure("nest values as Encodable properties; they are stored as jsonb")
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        preconditionFailure("nest values as Encodable properties; they are stored as jsonb")
    }

    mutating func superEncoder() -> any Encoder { RowEncoder(storage: storage) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { RowEncoder(storage: storage) }
}
