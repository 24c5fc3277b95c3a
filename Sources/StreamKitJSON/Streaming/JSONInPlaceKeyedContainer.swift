/// Reads the members of one object on the streaming path, in the order the document has them.
///
/// A member is found by comparing the bytes where the object was left with the key's quoted wire name (one
/// `memcmp` when the type asks for its keys in the document's order), then its value is read in place and the
/// object is left after it. Anything this cannot do sends the document to the tape path; see
/// ``JSONReader/decodeStreaming(_:)``. Trivially copyable with unmanaged references for the reasons
/// ``JSONKeyedDecodingContainer`` gives, and valid only while the decode call that made it runs.
struct JSONInPlaceKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    private let readerRef: Unmanaged<JSONReader>
    private let frame: Int
    private let namesRef: Unmanaged<JSONMemberNames>

    init(reader: JSONReader, frame: Int) {
        readerRef = .passUnretained(reader)
        self.frame = frame
        namesRef = .passUnretained(reader.memberNames(for: Key.self))
    }

    private var reader: JSONReader { readerRef.takeUnretainedValue() }

    var codingPath: [any CodingKey] { reader.path.map(\.codingKey) }

    /// Answered from a scan of the whole object onto the tape, which the streaming path does not otherwise use.
    var allKeys: [Key] {
        guard reader.scanOntoTape(at: reader.frames[frame].start) else { return [] }
        return JSONKeyedDecodingContainer<Key>(reader: reader, object: 0).allKeys
    }

    /// Answered from a scan of the whole object onto the tape, as `allKeys` is.
    func contains(_ key: Key) -> Bool {
        guard reader.scanOntoTape(at: reader.frames[frame].start) else { return false }
        return JSONKeyedDecodingContainer<Key>(reader: reader, object: 0).contains(key)
    }

    /// The offset of `key`'s value, or the error that gives the document to the tape path.
    @inline(__always)
    private func valueOffset(_ reader: JSONReader, _ key: Key) throws(JSONError) -> Int {
        let offset = namesRef._withUnsafeGuaranteedRef {
            reader.memberValue(named: key.stringValue, names: $0, in: frame)
        }
        guard offset >= 0 else { throw reader.giveUp(at: reader.frames[frame].pos) }
        return offset
    }

    private func scalar<T: JSONScalar>(_ type: T.Type, forKey key: Key) throws -> T {
        try readerRef._withUnsafeGuaranteedRef { reader in
            var end = 0
            let value = try T.scan(from: reader, at: try valueOffset(reader, key), end: &end)
            try reader.advance(frame, pastItemEndingAt: end)
            return value
        }
    }

    private func scalarIfPresent<T: JSONScalar>(_ type: T.Type, forKey key: Key) throws -> T? {
        try readerRef._withUnsafeGuaranteedRef { reader in
            let offset = try valueOffset(reader, key)
            if reader.isNull(at: offset) {
                try reader.advance(frame, pastItemEndingAt: offset + 4)
                return nil
            }
            var end = 0
            let value = try T.scan(from: reader, at: offset, end: &end)
            try reader.advance(frame, pastItemEndingAt: end)
            return value
        }
    }

    private func value<T: Decodable>(_ type: T.Type, at offset: Int, key: Key) throws -> T {
        try readerRef._withUnsafeGuaranteedRef { reader in
            reader.path.append(.key(key))
            defer { reader.path.removeLast() }
            var end = 0
            let value = try reader.streamDecode(type, at: offset, end: &end)
            try reader.advance(frame, pastItemEndingAt: end)
            return value
        }
    }

    /// Reads the member only when it is `null`; otherwise it stays where a `decode` call can read it.
    func decodeNil(forKey key: Key) throws -> Bool {
        try readerRef._withUnsafeGuaranteedRef { reader in
            let offset = try valueOffset(reader, key)
            guard reader.isNull(at: offset) else { return false }
            try reader.advance(frame, pastItemEndingAt: offset + 4)
            return true
        }
    }

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
        try value(type, at: try valueOffset(reader, key), key: key)
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
        let offset = try valueOffset(reader, key)
        if reader.isNull(at: offset) {
            try reader.advance(frame, pastItemEndingAt: offset + 4)
            return nil
        }
        return try value(type, at: offset, key: key)
    }

    // Nested containers and super decoders stay open beside this one; the tape path handles them.

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        throw reader.giveUp(at: reader.frames[frame].pos)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw reader.giveUp(at: reader.frames[frame].pos)
    }

    func superDecoder() throws -> any Decoder { throw reader.giveUp(at: reader.frames[frame].pos) }

    func superDecoder(forKey key: Key) throws -> any Decoder { throw reader.giveUp(at: reader.frames[frame].pos) }
}
