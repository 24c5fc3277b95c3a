/// Encodes `Encodable` values to Avro binary with a schema.
///
/// Record fields are matched to `CodingKey`s by name: the wire name (`ts_event_ms`), its camelCase form
/// (`tsEventMs`), an alias, or the same letters ignoring case and underscores. Fields are written in schema
/// order whatever order `encode(to:)` uses; a field the value leaves out is written as `null` when its type
/// allows it, else as its schema default. `Date` maps to `timestamp-millis`/`timestamp-micros`/`date`,
/// `UUID` to `uuid`, `Decimal` to `decimal`, `[UInt8]` and `Data` to `bytes` and `fixed`.
///
///     let encoder = AvroEncoder(schema: orderSchema)
///     var buffer: [UInt8] = []
///     try encoder.encode(order, into: &buffer)
public struct AvroEncoder: Sendable {
    /// The schema values are written with.
    public let schema: AvroSchema

    /// Makes an encoder for one schema; cheap, and reusable across threads.
    public init(schema: AvroSchema) {
        self.schema = schema
    }

    /// Appends the Avro binary encoding of `value` to `out`.
    ///
    /// - Throws: `AvroError.encoding` naming the field when the value does not fit the schema (a missing
    ///   field without default, a number out of range, an enum symbol the schema lacks…). On error, `out`
    ///   is left as it was.
    public func encode<T: Encodable>(_ value: T, into out: inout [UInt8]) throws(AvroError) {
        let state = AvroEncodingState(nodes: schema.nodes)
        swap(&state.out, &out)
        let start = state.out.count
        defer { swap(&state.out, &out) }
        do {
            try state.encode(value, node: schema.root)
            if let failure = state.failure { throw failure }
        } catch {
            state.out.removeSubrange(start...)
            throw AvroEncodingState.translate(error)
        }
    }

    /// Encodes `value` into a new array (convenience off the hot path).
    public func encode<T: Encodable>(_ value: T) throws(AvroError) -> [UInt8] {
        var out: [UInt8] = []
        try encode(value, into: &out)
        return out
    }
}
