/// Decodes `Decodable` values from JSON bytes, fast and strictly, for StreamKit's hot path.
///
/// The payload is read in place. When `init(from:)` asks for the members in the order the document has them, as
/// synthesized conformances do for documents written from the same type, each value is validated and read where
/// it lies, in one pass. Otherwise (members out of order or missing, nested containers, any error) one pass
/// validates the whole document against RFC 8259 and records where each value lies, and `init(from:)` runs
/// again over that; `init(from:)` may therefore run twice for such documents. Member names are compared byte by
/// byte with the mapped coding keys, so decoding a flat record allocates nothing beyond its own strings and
/// one container.
///
///     let decoder = StreamJSONDecoder()                      // snake_case on the wire, default limits
///     let tick = try decoder.decode(Tick.self, from: payload)
///
/// Strict where Foundation is strict and where it is lenient alike: `NaN`/`Infinity`, invalid UTF-8, lone
/// surrogates, leading zeros, trailing garbage, integer overflow and numbers a `Double` cannot hold are errors.
/// As with Foundation's defaults, `Date` is seconds since 2001-01-01 (a number), `Data` is a base64 string,
/// `URL` a string and `Decimal` a number. With duplicate member names, which one is read is unspecified.
///
/// A decoder is cheap to copy and safe to share between tasks; keep one and reuse it, since it pools its
/// internal buffers.
public struct StreamJSONDecoder: Sendable {
    private let pool: JSONPool<JSONReader>

    /// Creates a decoder.
    ///
    /// - Parameters:
    ///   - keyMapping: How coding keys map to member names; `.snakeCase` reads `bid_volume` into `bidVolume`.
    ///   - limits: Nesting depth and document size beyond which decoding fails at once.
    public init(keyMapping: JSONKeyMapping = .snakeCase, limits: JSONLimits = .default) {
        pool = JSONPool { JSONReader(keyMapping: keyMapping, limits: limits) }
    }

    /// Decodes a `T` from the JSON document in `bytes`, reading the bytes in place without copying them.
    ///
    /// - Throws: ``JSONError`` with the byte offset and coding path when the document is not valid JSON,
    ///   exceeds the limits or does not match `T`; errors thrown by `T`'s own `init(from:)` pass through.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        let reader = pool.take()
        defer { pool.recycle(reader) }
        try reader.attach(bytes)
        if let value = reader.decodeStreaming(type) { return value }
        try reader.scan()
        return try reader.decode(type, at: 0)
    }

    /// Decodes a `T` from the JSON document in `bytes`, in place; see the `UnsafeRawBufferPointer` variant.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBytes { try decode(type, from: $0) }
    }
}
