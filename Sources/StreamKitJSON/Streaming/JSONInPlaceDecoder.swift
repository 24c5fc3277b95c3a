/// The `Decoder` the streaming path hands to `init(from:)`: one value of the document, by its frame.
///
/// Holds the reader unretained, like ``JSONKeyedDecodingContainer``, and for the same reason it is valid only
/// while the decode call that made it runs.
struct JSONInPlaceDecoder: Decoder, SingleValueDecodingContainer {
    private let readerRef: Unmanaged<JSONReader>
    let frame: Int

    init(reader: JSONReader, frame: Int) {
        readerRef = .passUnretained(reader)
        self.frame = frame
    }

    var reader: JSONReader { readerRef.takeUnretainedValue() }

    var codingPath: [any CodingKey] { reader.path.map(\.codingKey) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        try readerRef._withUnsafeGuaranteedRef { reader in
            try reader.open(frame, asObject: true)
            return reader.streamingContainer(keyedBy: type, frame: frame)
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try readerRef._withUnsafeGuaranteedRef { reader in
            try reader.open(frame, asObject: false)
            return JSONInPlaceUnkeyedContainer(reader: reader, frame: frame)
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: - SingleValueDecodingContainer

    func decodeNil() -> Bool {
        readerRef._withUnsafeGuaranteedRef { reader in
            reader.frames[frame].phase == .untouched && reader.isNull(at: reader.frames[frame].start)
        }
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try read(type) }

    /// Reads the whole value as `T`; reading it again reads it again.
    private func read<T: Decodable>(_ type: T.Type) throws -> T {
        try readerRef._withUnsafeGuaranteedRef { reader in
            guard reader.frames[frame].phase == .untouched || reader.frames[frame].phase == .done else {
                throw reader.giveUp(at: reader.frames[frame].start)
            }
            var end = 0
            let value = try reader.streamDecode(type, at: reader.frames[frame].start, end: &end)
            reader.frames[frame].pos = end
            reader.frames[frame].phase = .done
            return value
        }
    }

    func decode(_ type: Bool.Type) throws -> Bool { try read(type) }
    func decode(_ type: String.Type) throws -> String { try read(type) }
    func decode(_ type: Double.Type) throws -> Double { try read(type) }
    func decode(_ type: Float.Type) throws -> Float { try read(type) }
    func decode(_ type: Int.Type) throws -> Int { try read(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try read(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try read(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try read(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try read(type) }
    @available(macOS 15.0, *) func decode(_ type: Int128.Type) throws -> Int128 { try read(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try read(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try read(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try read(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try read(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try read(type) }
    @available(macOS 15.0, *) func decode(_ type: UInt128.Type) throws -> UInt128 { try read(type) }
}
