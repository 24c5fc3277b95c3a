/// The `Decoder` handed to `init(from:)`: a schema node and a position over the shared state. Three words, so
/// passing it as `any Decoder` needs no allocation.
struct AvroValueDecoder: Decoder {
    let state: AvroDecodingState
    let node: Int
    let position: Int

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        var reader = AvroReader(bytes: state.bytes, position: position)
        let target = try state.branch(of: node, &reader)
        switch state.nodes[target] {
        case .record(let record):
            let block = state.slots.count
            state.slots.append(target)
            state.slots.append(0)
            state.slots.append(reader.position)
            state.slots.append(contentsOf: repeatElement(-1, count: record.fields.count))
            return KeyedDecodingContainer(
                AvroRecordDecodingContainer<Key>(state: state, node: target, record: record, block: block))
        case .map(let values):
            return KeyedDecodingContainer(
                try AvroMapDecodingContainer<Key>(state: state, node: target, values: values, reader: reader))
        default:
            throw state.mismatch("a keyed value", target)
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        var reader = AvroReader(bytes: state.bytes, position: position)
        let target = try state.branch(of: node, &reader)
        switch state.nodes[target] {
        case .array(let items):
            return try AvroArrayDecodingContainer(state: state, node: target, items: items, reader: reader)
        case .bytes, .string, .fixed:
            let (raw, _) = try state.readBytes(node: target, at: reader.position)
            return AvroByteDecodingContainer(bytes: Array(raw))
        default:
            throw state.mismatch("a list", target)
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        AvroSingleValueDecodingContainer(state: state, node: node, position: position)
    }
}

/// Reads one value at a node (unions resolve to their branch).
struct AvroSingleValueDecodingContainer: SingleValueDecodingContainer {
    let state: AvroDecodingState
    let node: Int
    let position: Int
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { (try? state.isNil(node: node, at: position)) ?? false }
    func decode(_ type: Bool.Type) throws -> Bool { try state.readBool(node: node, at: position).0 }
    func decode(_ type: String.Type) throws -> String { try state.readString(node: node, at: position).0 }
    func decode(_ type: Double.Type) throws -> Double { try state.readDouble(node: node, at: position).0 }
    func decode(_ type: Float.Type) throws -> Float { try state.readFloat(node: node, at: position).0 }
    func decode(_ type: Int.Type) throws -> Int { try state.readInteger(type, node: node, at: position).0 }
    func decode(_ type: Int8.Type) throws -> Int8 { try state.readInteger(type, node: node, at: position).0 }
    func decode(_ type: Int16.Type) throws -> Int16 { try state.readInteger(type, node: node, at: position).0 }
    func decode(_ type: Int32.Type) throws -> Int32 { try state.readInteger(type, node: node, at: position).0 }
    func decode(_ type: Int64.Type) throws -> Int64 { try state.readInteger(type, node: node, at: position).0 }
    func decode(_ type: UInt.Type) throws -> UInt { try state.readInteger(type, node: node, at: position).0 }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try state.readInteger(type, node: node, at: position).0 }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try state.readInteger(type, node: node, at: position).0 }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try state.readInteger(type, node: node, at: position).0 }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try state.readInteger(type, node: node, at: position).0 }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try state.decode(type, node: node, at: position).0 }
}

/// The bytes of a `bytes` or `fixed` value, one `UInt8` at a time, for types that decode themselves from a
/// list of bytes (`[UInt8]` and `Data` take a faster path).
struct AvroByteDecodingContainer: UnkeyedDecodingContainer {
    let bytes: [UInt8]
    var currentIndex = 0
    var codingPath: [any CodingKey] { [] }
    var count: Int? { bytes.count }
    var isAtEnd: Bool { currentIndex >= bytes.count }

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func decodeNil() throws -> Bool { false }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard T.self == UInt8.self, !isAtEnd else { throw AvroReadFailure("bytes decode only as UInt8 items") }
        defer { currentIndex += 1 }
        return bytes[currentIndex] as! T
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<
        NestedKey
    > {
        throw AvroReadFailure("bytes decode only as UInt8 items")
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw AvroReadFailure("bytes decode only as UInt8 items")
    }
    mutating func superDecoder() throws -> any Decoder { throw AvroReadFailure("bytes decode only as UInt8 items") }
}
