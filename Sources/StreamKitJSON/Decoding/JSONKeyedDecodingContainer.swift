/// Reads the members of one object on the tape by key.
///
/// Lookups start after the member found last, so a type that reads its keys in the order they were written
/// (every synthesized `Codable` does) finds each one at the first comparison; that comparison is a `memcmp`
/// with the key's wire name, cached per key type in ``JSONMemberNames``. Otherwise the member names' bytes in
/// the payload are compared with the key, mapped as the reader's ``JSONKeyMapping`` says, without making a
/// `String`.
///
/// The standard library's `KeyedDecodingContainer` box copies the container through its generic value
/// witnesses for every member read, so it is kept trivially copyable, with unmanaged references: no retain or
/// release in those copies, nor where a member is looked up. That adds no new way to misuse it: the container
/// is valid only while the decode call that made it runs, since the reader points into the caller's payload
/// only for that long, and that call keeps the reader alive; the reader keeps `names` alive.
struct JSONKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    private let readerRef: Unmanaged<JSONReader>
    let object: Int
    private let namesRef: Unmanaged<JSONMemberNames>

    init(reader: JSONReader, object: Int) {
        readerRef = .passUnretained(reader)
        self.object = object
        namesRef = .passUnretained(reader.memberNames(for: Key.self))
    }

    var reader: JSONReader { readerRef.takeUnretainedValue() }

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
    @inline(__always)
    private func valueIndex(forKey key: Key) -> Int? {
        readerRef._withUnsafeGuaranteedRef { reader in
            namesRef._withUnsafeGuaranteedRef { reader.valueIndex(ofMember: key.stringValue, in: object, names: $0) }
        }
    }

    private func require(_ key: Key) throws(JSONError) -> Int {
        guard let index = valueIndex(forKey: key) else {
            let start = Int(reader.tape[object].start)
            let wire = reader.keyMapping.wireName(for: key.stringValue)
            let property = wire == key.stringValue ? "" : " (property '\(key.stringValue)')"
            throw naming(
                key,
                reader.error(
                    .keyNotFound, at: start, "missing field '\(wire)'\(property) in the object at byte \(start)"))
        }
        return index
    }

    /// `error` with `key` appended to the coding path.
    private func naming(_ key: Key, _ error: JSONError) -> JSONError {
        var error = error
        error.codingPath = JSONPathComponent.render(reader.path + [.key(key)])
        return error
    }

    private func scalar<T: JSONScalar>(_ type: T.Type, forKey key: Key) throws(JSONError) -> T {
        let index = try require(key)
        do {
            return try T.read(from: reader, reader.tape[index])
        } catch {
            throw naming(key, error)
        }
    }

    private func scalarIfPresent<T: JSONScalar>(_ type: T.Type, forKey key: Key) throws(JSONError) -> T? {
        guard let index = valueIndex(forKey: key), reader.tape[index].kind != .null else { return nil }
        do {
            return try T.read(from: reader, reader.tape[index])
        } catch {
            throw naming(key, error)
        }
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
    /// The tape index of the value of the member that coding-key name `name` reads, or `nil` when the object at
    /// tape index `object` has none; `names` holds the wire names of the key type.
    ///
    /// Not generic over the key type, so that the per-member path runs specialized code. With duplicate member
    /// names, the one read is the first found from the lookup's starting point.
    func valueIndex(ofMember name: String, in object: Int, names: JSONMemberNames) -> Int? {
        let count = tape[object].count
        let end = Int(tape[object].next)
        var keyIndex = Int(tape[object].hint)
        if keyIndex < end, memberHasWireName(at: keyIndex, of: name, in: names, object: object) {
            tape[object].hint = tape[keyIndex + 1].next
            return keyIndex + 1
        }
        for _ in 0..<count {
            if keyIndex >= end { keyIndex = object + 1 }
            let valueIndex = keyIndex + 1
            let next = Int(tape[valueIndex].next)
            if memberName(at: keyIndex, matches: name) {
                tape[object].hint = Int32(truncatingIfNeeded: next)
                return valueIndex
            }
            keyIndex = next
        }
        return nil
    }

    /// Whether the member name at `keyIndex`, mapped to a Swift name, equals `swiftName`.
    func memberName(at keyIndex: Int, matches swiftName: String) -> Bool {
        withStringBytes(at: keyIndex) { JSONKeyMapping.wireName($0, mapsTo: swiftName, keyMapping: keyMapping) }
    }
}

extension JSONKeyMapping {
    /// Whether the unescaped member name `wire`, mapped to a Swift name, equals `swiftName`.
    ///
    /// The snake_case mapping is applied byte by byte while comparing, so a mismatch usually costs one byte.
    static func wireName(
        _ wire: UnsafeBufferPointer<UInt8>, mapsTo swiftName: String, keyMapping: JSONKeyMapping
    ) -> Bool {
        var utf8 = swiftName
        return utf8.withUTF8 { expected in
            guard case .snakeCase = keyMapping else {
                guard wire.count == expected.count else { return false }
                return wire.isEmpty || memcmpEqual(wire.baseAddress!, expected.baseAddress!, wire.count)
            }
            var matched = 0
            let result = visitCamelCaseName(fromWire: wire) { byte in
                guard matched < expected.count, expected[matched] == byte else { return false }
                matched += 1
                return true
            }
            guard let isPrefix = result else {
                return camelCaseName(fromWire: String(decoding: wire, as: UTF8.self)) == swiftName
            }
            return isPrefix && matched == expected.count
        }
    }
}
