/// Reads the members of one object on the tape by key.
///
/// Lookups compare the member name's bytes in the payload with the key, mapped as the reader's
/// ``JSONKeyMapping`` says, without making a `String`. They start after the member found last, so a type that
/// reads its keys in the order they were written (every synthesized `Codable` does) finds each one at the
/// first comparison.
struct JSONKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let reader: JSONReader
    let object: Int

    var codingPath: [any CodingKey] { reader.path.map(\.codingKey) }

    var allKeys: [Key] {
        var keys: [Key] = []
        forEachMember { keyIndex, _ in
            var name = reader.string(at: keyIndex)
            if case .snakeCase = reader.keyMapping { name = JSONKeyMapping.camelCaseName(fromWire: name) }
            if let key = Key(stringValue: name) { keys.append(key) }
        }
        return keys
    }

    private func forEachMember(_ body: (_ keyIndex: Int, _ valueIndex: Int) -> Void) {
        var keyIndex = object + 1
        for _ in 0..<reader.tape[object].count {
            body(keyIndex, keyIndex + 1)
            keyIndex = Int(reader.tape[keyIndex + 1].next)
        }
    }

    /// The tape index of the value of `key`, or `nil` when the object has no such member.
    ///
    /// With duplicate member names, the one read is the first found from the lookup's starting point.
    private func valueIndex(forKey key: Key) -> Int? {
        let tape = reader.tape
        let count = tape[object].count
        let end = Int(tape[object].next)
        var keyIndex = Int(tape[object].hint)
        for _ in 0..<count {
            if keyIndex >= end { keyIndex = object + 1 }
            let valueIndex = keyIndex + 1
            let next = Int(tape[valueIndex].next)
            if reader.memberName(at: keyIndex, matches: key.stringValue) {
                tape[object].hint = Int32(truncatingIfNeeded: next)
                return valueIndex
            }
            keyIndex = next
        }
        return nil
    }

    private func require(_ key: Key) throws(JSONError) -> Int {
        guard let index = valueIndex(forKey: key) else {
            let start = Int(reader.tape[object].start)
            throw naming(key, reader.error(.keyNotFound, at: start, "no member for key '\(key.stringValue)'"))
        }
        return index
    }

    /// `error` with `key` appended to the coding path.
    private func naming(_ key: Key, _ error: JSONError) -> JSONError {
        var error = error
        error.codingPath = JSONPathComponent.render(reader.path + [.key(key)])
        return error
    }

    /// Runs `body`, naming `key` in the coding path of any error it throws.
    @inline(__always)
    private func at<T>(_ key: Key, _ body: () throws(JSONError) -> T) throws(JSONError) -> T {
        do {
            return try body()
        } catch {
            throw naming(key, error)
        }
    }

    private func scalar<T: JSONScalar>(_ type: T.Type, forKey key: Key) throws(JSONError) -> T {
        let index = try require(key)
        return try at(key) { () throws(JSONError) in try T.read(from: reader, at: index) }
    }

    private func scalarIfPresent<T: JSONScalar>(_ type: T.Type, forKey key: Key) throws(JSONError) -> T? {
        guard let index = valueIndex(forKey: key), reader.tape[index].kind != .null else { return nil }
        return try at(key) { () throws(JSONError) in try T.read(from: reader, at: index) }
    }

    private func value<T: Decodable>(_ type: T.Type, at index: Int, key: Key) throws -> T {
        reader.path.append(.key(key))
        defer { reader.path.removeLast() }
        return try reader.decode(type, at: index)
    }

    func contains(_ key: Key) -> Bool { valueIndex(forKey: key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { reader.tape[try require(key)].kind == .null }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try scalar(type, forKey: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try scalar(type, forKey: key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try scalar(type, forKey: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try scalar(type, forKey: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try scalar(type, forKey: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try scalar(type, forKey: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try scalar(type, forKey: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try scalar(type, forKey: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try scalar(type, forKey: key) }
    @available(macOS 15.0, *)
    func decode(_ type: Int128.Type, forKey key: Key) throws -> Int128 { try scalar(type, forKey: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try scalar(type, forKey: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try scalar(type, forKey: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try scalar(type, forKey: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try scalar(type, forKey: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try scalar(type, forKey: key) }
    @available(macOS 15.0, *)
    func decode(_ type: UInt128.Type, forKey key: Key) throws -> UInt128 { try scalar(type, forKey: key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try value(type, at: try require(key), key: key)
    }

    // One lookup per call: the protocol's defaults would look the key up three times.
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try scalarIfPresent(type, forKey: key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try scalarIfPresent(type, forKey: key)
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try scalarIfPresent(type, forKey: key)
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        try scalarIfPresent(type, forKey: key)
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try scalarIfPresent(type, forKey: key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try scalarIfPresent(type, forKey: key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? {
        try scalarIfPresent(type, forKey: key)
    }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? {
        try scalarIfPresent(type, forKey: key)
    }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        try scalarIfPresent(type, forKey: key)
    }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try scalarIfPresent(type, forKey: key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? {
        try scalarIfPresent(type, forKey: key)
    }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? {
        try scalarIfPresent(type, forKey: key)
    }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? {
        try scalarIfPresent(type, forKey: key)
    }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? {
        try scalarIfPresent(type, forKey: key)
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let index = valueIndex(forKey: key), reader.tape[index].kind != .null else { return nil }
        return try value(type, at: index, key: key)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try nestedDecoder(forKey: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try nestedDecoder(forKey: key).unkeyedContainer()
    }

    private func nestedDecoder(forKey key: Key) throws -> JSONValueDecoder {
        let index = try require(key)
        let kind = reader.tape[index].kind
        guard kind == .object || kind == .array else {
            throw naming(key, reader.typeMismatch(at: index, expected: "an object or an array"))
        }
        return JSONValueDecoder(reader: reader, token: index)
    }

    func superDecoder() throws -> any Decoder {
        JSONValueDecoder(reader: reader, token: valueIndex(forKey: JSONIndexKey.superKey.stringValue) ?? -1)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONValueDecoder(reader: reader, token: valueIndex(forKey: key) ?? -1)
    }

    private func valueIndex(forKey name: String) -> Int? {
        var found: Int?
        forEachMember { keyIndex, valueIndex in
            if found == nil, reader.memberName(at: keyIndex, matches: name) { found = valueIndex }
        }
        return found
    }
}

extension JSONReader {
    /// Whether the member name at `keyIndex`, mapped to a Swift name, equals `swiftName`.
    ///
    /// The snake_case mapping is applied byte by byte while comparing, so a mismatch usually costs one byte.
    func memberName(at keyIndex: Int, matches swiftName: String) -> Bool {
        var utf8 = swiftName
        return utf8.withUTF8 { expected in
            withStringBytes(at: keyIndex) { wire in
                guard case .snakeCase = keyMapping else {
                    guard wire.count == expected.count else { return false }
                    return wire.isEmpty || memcmpEqual(wire.baseAddress!, expected.baseAddress!, wire.count)
                }
                var matched = 0
                let result = JSONKeyMapping.visitCamelCaseName(fromWire: wire) { byte in
                    guard matched < expected.count, expected[matched] == byte else { return false }
                    matched += 1
                    return true
                }
                guard let isPrefix = result else {
                    return JSONKeyMapping.camelCaseName(fromWire: String(decoding: wire, as: UTF8.self)) == swiftName
                }
                return isPrefix && matched == expected.count
            }
        }
    }
}
