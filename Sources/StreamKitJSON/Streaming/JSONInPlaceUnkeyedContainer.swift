/// Reads the elements of one array on the streaming path, in order, where they lie.
///
/// Valid only while the decode call that made it runs; see ``JSONInPlaceKeyedContainer``.
struct JSONInPlaceUnkeyedContainer: UnkeyedDecodingContainer {
    private let readerRef: Unmanaged<JSONReader>
    private let frame: Int
    private(set) var currentIndex = 0

    init(reader: JSONReader, frame: Int) {
        readerRef = .passUnretained(reader)
        self.frame = frame
    }

    private var reader: JSONReader { readerRef.takeUnretainedValue() }

    var codingPath: [any CodingKey] { reader.path.map(\.codingKey) }

    /// Answered from a scan of the whole array onto the tape, which the streaming path does not otherwise use.
    var count: Int? {
        guard reader.scanOntoTape(at: reader.frames[frame].start) else { return nil }
        return reader.tape[0].count
    }

    var isAtEnd: Bool { reader.frames[frame].phase != .array }

    /// The next element's offset, or the error that gives the document to the tape path.
    private func next(_ reader: JSONReader) throws(JSONError) -> Int {
        let offset = reader.nextElement(in: frame)
        guard offset >= 0 else { throw reader.giveUp(at: reader.frames[frame].pos) }
        return offset
    }

    private mutating func scalar<T: JSONScalar>(_ type: T.Type) throws -> T {
        let value = try readerRef._withUnsafeGuaranteedRef { reader in
            var end = 0
            let value = try T.scan(from: reader, at: try next(reader), end: &end)
            try reader.advance(frame, pastItemEndingAt: end)
            return value
        }
        currentIndex += 1
        return value
    }

    mutating func decodeNil() throws -> Bool {
        let isNull = try readerRef._withUnsafeGuaranteedRef { reader in
            let offset = try next(reader)
            guard reader.isNull(at: offset) else { return false }
            try reader.advance(frame, pastItemEndingAt: offset + 4)
            return true
        }
        if isNull { currentIndex += 1 }
        return isNull
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
        let index = currentIndex
        let value = try readerRef._withUnsafeGuaranteedRef { reader in
            let offset = try next(reader)
            reader.path.append(.index(index))
            defer { reader.path.removeLast() }
            var end = 0
            let value = try reader.streamDecode(type, at: offset, end: &end)
            try reader.advance(frame, pastItemEndingAt: end)
            return value
        }
        currentIndex += 1
        return value
    }

    // Nested containers and super decoders stay open beside this one; the tape path handles them.

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        throw reader.giveUp(at: reader.frames[frame].pos)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw reader.giveUp(at: reader.frames[frame].pos)
    }

    mutating func superDecoder() throws -> any Decoder { throw reader.giveUp(at: reader.frames[frame].pos) }
}
