import StreamKitJSON

/// The JSON coding of changelog keys and values: StreamKit's own coder, which writes fields in declaration order,
/// so equal keys are equal bytes in every process (log compaction depends on it). Repartition topics use the
/// value's `Serde.json` instead (see `keyBy`).
@usableFromInline
enum StateJSON {
    static let encoder = StreamJSONEncoder()
    static let decoder = StreamJSONDecoder(limits: JSONLimits(maxDepth: 256, maxDocumentBytes: 64 << 20))

    @usableFromInline
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        try encoder.encode(value)
    }

    @usableFromInline
    static func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        try decoder.decode(type, from: bytes)
    }
}
