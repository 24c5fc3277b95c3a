#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `Decoder` handed to `init(from:)`: a view of one tape token, small enough to live inside an
/// existential without a heap allocation.
///
/// `token` is `-1` for a missing value (`superDecoder()` with no `super` member), which reads as `null`.
struct JSONValueDecoder: Decoder, SingleValueDecodingContainer {
    let reader: JSONReader
    let token: Int

    var codingPath: [any CodingKey] { reader.path.map(\.codingKey) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard token >= 0, reader.tape[token].kind == .object else { throw mismatch("an object") }
        return KeyedDecodingContainer(JSONKeyedDecodingContainer<Key>(reader: reader, object: token))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard token >= 0, reader.tape[token].kind == .array else { throw mismatch("an array") }
        return JSONUnkeyedDecodingContainer(reader: reader, array: token)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    private func mismatch(_ expected: String) -> JSONError {
        guard token >= 0 else {
            return reader.error(.valueNotFound, at: reader.length, "expected \(expected), found nothing")
        }
        return reader.typeMismatch(at: token, expected: expected)
    }

    private func scalar<T: JSONScalar>(_ type: T.Type) throws(JSONError) -> T {
        guard token >= 0 else { throw mismatch("a value") }
        return try T.read(from: reader, reader.tape[token])
    }

    // MARK: - SingleValueDecodingContainer

    func decodeNil() -> Bool { token < 0 || reader.tape[token].kind == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try scalar(type) }
    func decode(_ type: String.Type) throws -> String { try scalar(type) }
    func decode(_ type: Double.Type) throws -> Double { try scalar(type) }
    func decode(_ type: Float.Type) throws -> Float { try scalar(type) }
    func decode(_ type: Int.Type) throws -> Int { try scalar(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try scalar(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try scalar(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try scalar(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try scalar(type) }
    @available(macOS 15.0, *) func decode(_ type: Int128.Type) throws -> Int128 { try scalar(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try scalar(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try scalar(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try scalar(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try scalar(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try scalar(type) }
    @available(macOS 15.0, *) func decode(_ type: UInt128.Type) throws -> UInt128 { try scalar(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard token >= 0 else { throw mismatch("a value") }
        return try reader.decode(type, at: token)
    }
}

/// `[String: Value]`: its keys are data, read verbatim (never key-mapped) as Foundation does.
protocol JSONStringKeyedDecodable {
    static func decodeJSON(from reader: JSONReader, object: Int) throws -> Self
    /// The streaming path's read of the object at `start`; sets `end` just past it.
    static func decodeJSONStreaming(from reader: JSONReader, at start: Int, end: inout Int) throws -> Self
}

extension Dictionary: JSONStringKeyedDecodable where Key == String, Value: Decodable {
    static func decodeJSON(from reader: JSONReader, object: Int) throws -> Self {
        let count = reader.tape[object].count
        var result = Self(minimumCapacity: count)
        var keyIndex = object + 1
        for _ in 0..<count {
            let key = reader.string(at: keyIndex)
            let valueIndex = keyIndex + 1
            // The first of duplicate members wins, as with Foundation's JSONDecoder.
            if result[key] == nil {
                reader.path.append(.name(key))
                defer { reader.path.removeLast() }
                result[key] = try reader.decode(Value.self, at: valueIndex)
            }
            keyIndex = Int(reader.tape[valueIndex].next)
        }
        return result
    }

    static func decodeJSONStreaming(from reader: JSONReader, at start: Int, end: inout Int) throws -> Self {
        var result = Self()
        let frame = reader.pushFrame(at: start)
        guard frame >= 0 else { throw reader.giveUp(at: start) }
        defer { reader.frameCount = frame }
        try reader.open(frame, asObject: true)
        while reader.frames[frame].phase == .object {
            let keyToken = try reader.scanLiteral(at: reader.frames[frame].pos)
            guard keyToken.kind == .string else { throw reader.giveUp(at: Int(keyToken.start)) }
            let key = reader.string(keyToken)
            var pos = Int(keyToken.end)
            reader.skipWhitespace(&pos)
            guard pos < reader.length, reader.base[pos] == UInt8(ascii: ":") else { throw reader.giveUp(at: pos) }
            pos += 1
            reader.skipWhitespace(&pos)
            var valueEnd = 0
            // The first of duplicate members wins, as with Foundation's JSONDecoder.
            if result[key] == nil {
                reader.path.append(.name(key))
                defer { reader.path.removeLast() }
                result[key] = try reader.streamDecode(Value.self, at: pos, end: &valueEnd)
            } else {
                valueEnd = try reader.skipValue(at: pos)
            }
            try reader.advance(frame, pastItemEndingAt: valueEnd)
        }
        end = reader.frames[frame].pos
        return result
    }
}

extension JSONReader {
    /// Decodes any `Decodable` from the value token at `index`; the caller has pushed its path component.
    func decode<T: Decodable>(_ type: T.Type, at index: Int) throws -> T {
        let special = typeCache.special(for: type)
        switch special {
        case .none:
            return try T(from: JSONValueDecoder(reader: self, token: index))
        case .stringKeyedDictionary:
            guard tape[index].kind == .object else { throw typeMismatch(at: index, expected: "an object") }
            return try (type as! any JSONStringKeyedDecodable.Type).decodeJSON(from: self, object: index) as! T
        case .scalar, .date, .data, .url, .decimal:
            return try literal(type, special, tape[index])
        }
    }

    /// Reads a type that is one JSON literal (a scalar, `Date`, `Data`, `URL` or `Decimal`) from `token`;
    /// `special` is its classification, which the caller has looked up.
    func literal<T>(_ type: T.Type, _ special: JSONSpecialType, _ token: JSONToken) throws(JSONError) -> T {
        switch special {
        case .scalar(let scalar):
            return try read(scalar, as: type, token)
        case .date:
            return Date(timeIntervalSinceReferenceDate: try double(token)) as! T
        case .data:
            guard let data = Data(base64Encoded: try stringValue(token)) else {
                throw error(.dataCorrupted, at: Int(token.start), "the string is not valid base64")
            }
            return data as! T
        case .url:
            guard let url = URL(string: try stringValue(token)) else {
                throw error(.dataCorrupted, at: Int(token.start), "the string is not a valid URL")
            }
            return url as! T
        case .decimal:
            return try decimal(token) as! T
        case .none, .stringKeyedDictionary:
            preconditionFailure("\(type) is not a JSON literal type")
        }
    }

    /// Reads scalar type `S`, which the caller has established is `T`.
    private func read<S: JSONScalar, T>(_ scalar: S.Type, as type: T.Type, _ token: JSONToken) throws(JSONError) -> T {
        unsafeBitCast(try S.read(from: self, token), to: T.self)
    }
}
