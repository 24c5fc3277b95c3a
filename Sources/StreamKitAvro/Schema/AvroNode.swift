/// One type of a compiled schema. Named types refer to each other by index into `AvroSchema.nodes`,
/// which is how recursive schemas (a linked list of records) are represented without cycles of references.
enum AvroNode: Sendable {
    case null
    case boolean
    case int(AvroLogicalType?)
    case long(AvroLogicalType?)
    case float
    case double
    case bytes(AvroLogicalType?)
    case string(AvroLogicalType?)
    case record(AvroRecord)
    case enumeration(AvroEnum)
    case array(items: Int)
    case map(values: Int)
    case union(branches: [Int])
    case fixed(AvroFixed)

    /// The Avro type name, for messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .boolean: "boolean"
        case .int: "int"
        case .long: "long"
        case .float: "float"
        case .double: "double"
        case .bytes: "bytes"
        case .string: "string"
        case .record(let record): record.name
        case .enumeration(let enumeration): enumeration.name
        case .array: "array"
        case .map: "map"
        case .union: "union"
        case .fixed(let fixed): fixed.name
        }
    }

    /// The full name of a named type.
    var fullName: String? {
        switch self {
        case .record(let record): record.name
        case .enumeration(let enumeration): enumeration.name
        case .fixed(let fixed): fixed.name
        default: nil
        }
    }
}

/// The logical types StreamKit maps to Swift types (`Date`, `UUID`, `Decimal`); others are read as their
/// underlying type, as the specification asks.
enum AvroLogicalType: Sendable, Equatable {
    case date
    case timestampMillis
    case timestampMicros
    case uuid
    case decimal(precision: Int, scale: Int)
}

/// A record type: fields in schema order plus a name lookup resolved once per schema.
struct AvroRecord: Sendable {
    var name: String
    var fields: [AvroField]
    /// Field index by wire name, by its camelCase form (`ts_event_ms` → `tsEventMs`) and by aliases.
    var lookup: [String: Int]

    func index(of key: String) -> Int? {
        if let index = lookup[key] { return index }
        let folded = AvroRecord.fold(key)
        return fields.firstIndex { AvroRecord.fold($0.name) == folded }
    }

    /// Case and underscores removed: the last-resort match between a Swift key and a wire name.
    static func fold(_ name: String) -> String { name.lowercased().filter { $0 != "_" } }

    /// Foundation's `convertFromSnakeCase` for the common case: `ts_event_ms` → `tsEventMs`.
    static func camelCase(_ name: String) -> String {
        let words = name.split(separator: "_")
        guard words.count > 1, !name.hasPrefix("_") else { return name }
        return words.enumerated().map { index, word in
            index == 0 ? word.lowercased() : word.prefix(1).uppercased() + word.dropFirst().lowercased()
        }.joined()
    }
}

/// One field of a record.
struct AvroField: Sendable {
    var name: String
    var type: Int
    /// The name a synthesized `CodingKey` most likely has (`ts_event_ms` → `tsEventMs`), checked first.
    var swiftName: String
    /// The field's default in Avro binary, encoded once from the schema's JSON `default`.
    var defaultBytes: [UInt8]?
    var aliases: [String]
}

/// An enum type and its symbols in order.
struct AvroEnum: Sendable {
    var name: String
    var symbols: [String]
    var lookup: [String: Int]
    var defaultSymbol: String?
}

/// A fixed-size type.
struct AvroFixed: Sendable {
    var name: String
    var size: Int
    var logicalType: AvroLogicalType?
}
