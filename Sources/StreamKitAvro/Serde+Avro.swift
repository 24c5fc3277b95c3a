import StreamKit
import Synchronization

extension Serde where Value: Codable & Sendable {
    /// Avro values in the Confluent wire format, with schemas in a Schema Registry.
    ///
    ///     let orders = app.topic("order_events", key: String.self, value: OrderEvent.self,
    ///                            format: .avro(schema: orderSchema, registry: registry, subject: "order_events-value"))
    ///
    /// Values are written with `schema`, registered under `subject` (default: the schema's full name, the
    /// record-name strategy) on first use, behind the 5-byte header. Values are read with the writer schema
    /// named by each record's header and resolved against `schema` (added fields take their defaults,
    /// removed fields are skipped). A corrupt header, an id the registry does not know, or a writer schema
    /// `schema` cannot read is a `SerdeError`, so the error policy dead-letters the record with that reason.
    ///
    /// The first record per schema id makes one blocking registry request; see `SchemaRegistryClient` for how
    /// to prefetch instead.
    public static func avro(schema: AvroSchema, registry: SchemaRegistryClient, subject: String? = nil) -> Serde<Value>
    {
        let subject = subject ?? schema.name
        let encoder = AvroEncoder(schema: schema)
        let decoders = AvroDecoderCache(reader: schema, registry: registry)
        return Serde(
            name: "avro",
            serialize: { value, out in
                let id = try registry.idBlocking(schema, subject: subject)
                ConfluentWireFormat.writeHeader(schemaID: id, into: &out)
                do {
                    try encoder.encode(value, into: &out)
                } catch {
                    out.removeLast(ConfluentWireFormat.headerSize)
                    throw error
                }
            },
            deserialize: { bytes in
                let (id, body) = try ConfluentWireFormat.parseHeader(bytes)
                return try decoders.decoder(for: id).decode(Value.self, from: body)
            })
    }

    /// Plain Avro binary with a fixed schema: no header and no registry (for topics whose producers and
    /// consumers share the schema out of band, and for benchmarks of the codec alone).
    public static func avro(schema: AvroSchema) -> Serde<Value> {
        let encoder = AvroEncoder(schema: schema)
        let decoder = AvroDecoder(schema: schema)
        return Serde(
            name: "avro",
            serialize: { value, out in try encoder.encode(value, into: &out) },
            deserialize: { bytes in try decoder.decode(Value.self, from: bytes) })
    }
}

/// The decoders of one `.avro` serde by writer schema id: resolution against the reader schema is worked
/// out once per id.
final class AvroDecoderCache: Sendable {
    private let reader: AvroSchema
    private let registry: SchemaRegistryClient
    private let decoders = Mutex<[Int32: AvroDecoder]>([:])

    init(reader: AvroSchema, registry: SchemaRegistryClient) {
        self.reader = reader
        self.registry = registry
    }

    func decoder(for id: Int32) throws(SerdeError) -> AvroDecoder {
        if let decoder = decoders.withLock({ $0[id] }) { return decoder }
        let writer: AvroSchema
        do {
            writer = try registry.schemaBlocking(id: id)
        } catch {
            throw SerdeError(reason: "unknown Avro schema id \(id): \(error)")
        }
        let decoder: AvroDecoder
        do {
            decoder = try AvroDecoder(writer: writer.isEquivalent(to: reader) ? reader : writer, reader: reader)
        } catch {
            throw SerdeError(
                reason: "Avro schema id \(id) cannot be read as \(reader.name): \(error.reason)", field: error.field)
        }
        decoders.withLock { $0[id] = decoder }
        return decoder
    }
}
