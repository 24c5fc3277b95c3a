import StreamKit

/// Decodes `Decodable` values from Avro binary, optionally resolving a writer's schema against a reader's.
///
/// Record fields are matched to `CodingKey`s as `AvroEncoder` does (wire name, camelCase form, alias, or
/// the same letters ignoring case and underscores). Strings are decoded in place without copying the payload.
///
///     let decoder = try AvroDecoder(writer: oldSchema, reader: orderSchema)   // evolution
///     let order = try decoder.decode(OrderEvent.self, from: payload)
public struct AvroDecoder: Sendable {
    /// The schema the bytes were written with.
    public let writerSchema: AvroSchema
    /// The schema the values are read as; its defaults fill fields the writer did not have.
    public let readerSchema: AvroSchema
    private let resolution: AvroResolution?

    /// A decoder for bytes written with the schema the values are read as.
    public init(schema: AvroSchema) {
        writerSchema = schema
        readerSchema = schema
        resolution = nil
    }

    /// A decoder for bytes written with `writer`, read as `reader`.
    ///
    /// - Throws: `AvroError.incompatibleSchemas` naming the field when the reader has a field the writer
    ///   lacks and no default for it.
    public init(writer: AvroSchema, reader: AvroSchema) throws(AvroError) {
        writerSchema = writer
        readerSchema = reader
        resolution = writer === reader ? nil : try AvroResolution(writer: writer, reader: reader)
    }

    /// Decodes one value that fills `bytes` exactly.
    ///
    /// - Throws: `SerdeError` naming the field (`items[1].price`) for truncated or malformed bytes, a value
    ///   that does not fit `T`, or bytes left over after the value; never traps on bad input.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws(SerdeError) -> T {
        let state = AvroDecodingState(nodes: writerSchema.nodes, bytes: bytes, resolution: resolution)
        do {
            let (value, end) = try state.decode(type, node: writerSchema.root, at: 0)
            guard end == bytes.count else {
                throw AvroReadFailure("\(bytes.count - end) bytes left after the \(writerSchema.name) value")
            }
            return value
        } catch {
            let failure = error as? AvroReadFailure ?? AvroReadFailure.wrapping(error, in: "")
            throw SerdeError(reason: "Avro: " + failure.reason, field: failure.field)
        }
    }

    /// Decodes one value from an array (convenience off the hot path).
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(SerdeError) -> T {
        do {
            return try bytes.withUnsafeBytes { raw in try decode(type, from: raw) }
        } catch let error as SerdeError {
            throw error
        } catch {
            throw SerdeError(reason: "Avro: \(error)")
        }
    }
}
