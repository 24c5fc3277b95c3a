/// Reads the items of an Avro array in order, block by block.
struct AvroArrayDecodingContainer: UnkeyedDecodingContainer {
    let state: AvroDecodingState
    let items: Int
    /// The array's `[node, start, end]` block in the state's slots.
    let block: Int
    var position: Int
    var remainingInBlock: Int
    var currentIndex = 0
    var codingPath: [any CodingKey] { [] }
    var count: Int? { nil }
    var isAtEnd: Bool { remainingInBlock == 0 }

    init(state: AvroDecodingState, node: Int, items: Int, reader: AvroReader) throws(AvroReadFailure) {
        self.state = state
        self.items = items
        var reader = reader
        block = state.slots.count
        state.slots.append(node)
        state.slots.append(reader.position)
        remainingInBlock = try state.blockCount(&reader, item: items)
        position = reader.position
        state.slots.append(remainingInBlock == 0 ? position : -1)
    }

    private mutating func item<T>(_ read: (AvroDecodingState, Int, Int) throws -> (T, Int)) throws -> T {
        guard !isAtEnd else { throw AvroReadFailure("read past the end of an array") }
        do {
            let (value, end) = try read(state, items, position)
            position = end
            remainingInBlock -= 1
            currentIndex += 1
            if remainingInBlock == 0 {
                var reader = AvroReader(bytes: state.bytes, position: position)
                remainingInBlock = try state.blockCount(&reader, item: items)
                position = reader.position
                if remainingInBlock == 0 { state.slots[block + 2] = position }
            }
            return value
        } catch {
            throw AvroReadFailure.wrapping(error, in: "[\(currentIndex)]")
        }
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, try state.isNil(node: items, at: position) else { return false }
        try item { state, node, position in ((), try state.readNil(node: node, at: position)) }
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try item { try $0.readBool(node: $1, at: $2) } }
    mutating func decode(_ type: String.Type) throws -> String { try item { try $0.readString(node: $1, at: $2) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try item { try $0.readDouble(node: $1, at: $2) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try item { try $0.readFloat(node: $1, at: $2) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try item { try $0.readInteger(type, node: $1, at: $2) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try item { try $0.readInteger(type, node: $1, at: $2) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try item { try $0.readInteger(type, node: $1, at: $2) } }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try item { try $0.decode(type, node: $1, at: $2) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<
        NestedKey
    > {
        throw AvroReadFailure("nested containers are not supported; decode array items as types")
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw AvroReadFailure("nested containers are not supported; decode array items as types")
    }
    mutating func superDecoder() throws -> any Decoder { throw AvroReadFailure("superDecoder is not supported") }
}

/// Reads an Avro map as a keyed container: keys and value positions are indexed when it is made, since
/// `Dictionary.init(from:)` asks for `allKeys` first.
struct AvroMapDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let state: AvroDecodingState
    let values: Int
    let entries: [String: Int]
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { entries.keys.compactMap { Key(stringValue: $0) } }

    init(state: AvroDecodingState, node: Int, values: Int, reader: AvroReader) throws(AvroReadFailure) {
        self.state = state
        self.values = values
        var reader = reader
        let start = reader.position
        var entries: [String: Int] = [:]
        while true {
            let count = try state.blockCount(&reader, item: values)
            if count == 0 { break }
            for _ in 0..<count {
                let key = try reader.readString()
                entries[key] = reader.position
                reader.position = try state.skip(values, at: reader.position)
            }
        }
        self.entries = entries
        state.slots += [node, start, reader.position]
    }

    func contains(_ key: Key) -> Bool { entries[key.stringValue] != nil }

    private func value<T>(_ key: Key, _ read: (Int, Int) throws -> (T, Int)) throws -> T {
        guard let position = entries[key.stringValue] else {
            throw AvroReadFailure("no entry '\(key.stringValue)' in the map")
        }
        do {
            return try read(values, position).0
        } catch {
            throw AvroReadFailure.wrapping(error, in: "[\"\(key.stringValue)\"]")
        }
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(key) { (try state.isNil(node: $0, at: $1), 0) } }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try value(key) { try state.readBool(node: $0, at: $1) }
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try value(key) { try state.readString(node: $0, at: $1) }
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try value(key) { try state.readDouble(node: $0, at: $1) }
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try value(key) { try state.readFloat(node: $0, at: $1) }
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        try value(key) { try state.readInteger(type, node: $0, at: $1) }
    }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
        try value(key) { try state.readInteger(type, node: $0, at: $1) }
    }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
        try value(key) { try state.readInteger(type, node: $0, at: $1) }
    }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try value(key) { try state.decode(type, node: $0, at: $1) }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        throw AvroReadFailure("nested containers are not supported; decode map values as types")
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw AvroReadFailure("nested containers are not supported; decode map values as types")
    }
    func superDecoder() throws -> any Decoder { throw AvroReadFailure("superDecoder is not supported") }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw AvroReadFailure("superDecoder is not supported") }
}
