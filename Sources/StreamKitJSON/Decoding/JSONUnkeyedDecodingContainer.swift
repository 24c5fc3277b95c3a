/// Reads the elements of one array on the tape in order.
struct JSONUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let reader: JSONReader
    let array: Int
    /// The tape index of the next element.
    private var cursor: Int
    private(set) var currentIndex = 0

    init(reader: JSONReader, array: Int) {
        self.reader = reader
        self.array = array
        cursor = array + 1
    }

    var codingPath: [any CodingKey] { reader.path.map(\.codingKey) }
    var count: Int? { reader.tape[array].count }
    var isAtEnd: Bool { currentIndex >= reader.tape[array].count }

    /// The tape index of the next element, or an error naming the end of the array.
    private func next() throws(JSONError) -> Int {
        guard !isAtEnd else {
            var error = reader.error(
                .valueNotFound, at: Int(reader.tape[array].start),
                "the array has only \(reader.tape[array].count) elements")
            error.codingPath = JSONPathComponent.render(reader.path + [.index(currentIndex)])
            throw error
        }
        return cursor
    }

    private mutating func advance() {
        cursor = Int(reader.tape[cursor].next)
        currentIndex += 1
    }

    private mutating func scalar<T: JSONScalar>(_ type: T.Type) throws(JSONError) -> T {
        let index = try next()
        do {
            let value = try T.read(from: reader, reader.tape[index])
            advance()
            return value
        } catch {
            var error = error
            error.codingPath = JSONPathComponent.render(reader.path + [.index(currentIndex)])
            throw error
        }
    }

    /// Runs `body` on a decoder for the next element and moves past the element only if `body` succeeds.
    private mutating func element<T>(_ body: (JSONValueDecoder) throws -> T) throws -> T {
        let result = try body(JSONValueDecoder(reader: reader, token: try next()))
        advance()
        return result
    }

    mutating func decodeNil() throws -> Bool {
        guard reader.tape[try next()].kind == .null else { return false }
        advance()
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try scalar(type) }
    mutating func decode(_ type: String.Type) throws -> String { try scalar(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try scalar(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try scalar(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try scalar(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try scalar(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try scalar(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try scalar(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try scalar(type) }
    @available(macOS 15.0, *) mutating func decode(_ type: Int128.Type) throws -> Int128 { try scalar(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try scalar(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try scalar(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try scalar(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try scalar(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try scalar(type) }
    @available(macOS 15.0, *) mutating func decode(_ type: UInt128.Type) throws -> UInt128 { try scalar(type) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let index = try next()
        reader.path.append(.index(currentIndex))
        defer { reader.path.removeLast() }
        let value = try reader.decode(type, at: index)
        advance()
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try element { try $0.container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try element { try $0.unkeyedContainer() }
    }

    mutating func superDecoder() throws -> any Decoder { try element { $0 } }
}
