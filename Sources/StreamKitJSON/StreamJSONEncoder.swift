/// Encodes `Encodable` values as compact JSON bytes, appending to a buffer the caller reuses.
///
///     let encoder = StreamJSONEncoder()                   // camelCase properties become snake_case members
///     buffer.removeAll(keepingCapacity: true)
///     try encoder.encode(bar, into: &buffer)
///
/// Output matches Foundation's `JSONEncoder` with default settings except for formatting details: members
/// in the order they are encoded, no whitespace, `/` not escaped, whole-number floating-point values without
/// `.0`, other `Double`s and `Float`s in the shortest form that reads back exactly (Swift's `description`).
/// `Date` is seconds since 2001-01-01, `Data` base64, `URL` its absolute string, `Decimal` a number, as
/// with Foundation's defaults.
///
/// Values are written as `encode(to:)` produces them, with no intermediate tree. A container can therefore
/// no longer be written to once a container outside it has been written to again — synthesized conformances
/// never do that; custom ones that do get ``JSONError/Kind/invalidValue``.
///
/// An encoder is cheap to copy and safe to share between tasks; keep one and reuse it, since it pools its
/// internal buffers and caches each coding key's mapped, escaped name.
public struct StreamJSONEncoder: Sendable {
    private let pool: JSONPool<JSONWritingState>

    /// Creates an encoder.
    ///
    /// - Parameter keyMapping: How coding keys map to member names; `.snakeCase` writes `bidVolume` as
    ///   `bid_volume`.
    public init(keyMapping: JSONKeyMapping = .snakeCase) {
        pool = JSONPool { JSONWritingState(keyMapping: keyMapping) }
    }

    /// Appends the JSON encoding of `value` to `buffer`, leaving what the buffer held before untouched.
    ///
    /// On error, `buffer` is left as it was.
    ///
    /// - Throws: ``JSONError`` for a non-finite floating-point value, a top-level value that encodes nothing, or a
    ///   container used out of order; errors thrown by `value`'s own `encode(to:)` pass through.
    public func encode<T: Encodable>(_ value: T, into buffer: inout [UInt8]) throws {
        let state = pool.take()
        defer { pool.recycle(state) }
        swap(&state.writer.bytes, &buffer)
        defer { swap(&state.writer.bytes, &buffer) }
        let start = state.writer.bytes.count
        do {
            try state.encode(value, isTopLevel: true)
            try state.close(downTo: 0)
        } catch {
            state.writer.bytes.removeSubrange(start...)
            throw error
        }
    }

    /// Returns the JSON encoding of `value`; see ``encode(_:into:)``.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var buffer: [UInt8] = []
        try encode(value, into: &buffer)
        return buffer
    }
}
