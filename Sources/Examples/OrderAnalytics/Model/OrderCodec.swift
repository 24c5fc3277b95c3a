import ArgumentParser
import StreamKit
import StreamKitAvro

/// How the example's values are written: JSON, or Avro in the Confluent wire format through a Schema Registry.
///
/// Without a registry (the embedded default) everything is JSON with the Avro schemas' field names, so a
/// consumer reads either form with the matching `--format`.
struct OrderCodec: Sendable {
    /// The registry, for Avro; `nil` for JSON.
    let registry: SchemaRegistryClient?
    let orderEventSchema: AvroSchema
    let productViewSchema: AvroSchema
    let orderAggregateSchema: AvroSchema
    let trendAlertSchema: AvroSchema

    /// Parses the schemas; with `registry`, makes the client and throws a `ValidationError` naming the flag
    /// when the URL is unusable.
    init(registry url: String?) throws {
        if let url {
            do {
                registry = try SchemaRegistryClient(url: url)
            } catch {
                throw ValidationError("--schema-registry: \(error.message)")
            }
        } else {
            registry = nil
        }
        orderEventSchema = try AvroSchema(json: OrderSchemas.orderEvent)
        productViewSchema = try AvroSchema(json: OrderSchemas.productView)
        orderAggregateSchema = try AvroSchema(json: OrderSchemas.orderAggregate)
        trendAlertSchema = try AvroSchema(json: OrderSchemas.trendAlert)
    }

    /// `json` or `avro`, for banners.
    var formatName: String { registry == nil ? "json" : "avro" }

    /// The serde of a topic's values: Avro under the subject `<topic>-value`, or JSON.
    func serde<Value: Codable & Sendable>(_ type: Value.Type, schema: AvroSchema, topic: String) -> Serde<Value> {
        guard let registry else { return .json }
        return .avro(schema: schema, registry: registry, subject: "\(topic)-value")
    }

    /// Registers the schemas a stage writes before it starts, so that an unreachable registry stops it at once
    /// (with the registry's message) rather than at its first record.
    func registerWriterSchemas(_ subjects: [(schema: AvroSchema, topic: String)]) async throws {
        guard let registry else { return }
        for (schema, topic) in subjects {
            do {
                _ = try await registry.register(schema, subject: "\(topic)-value")
            } catch {
                throw ValidationError("--schema-registry: cannot register \(topic)-value: \(error)")
            }
        }
    }
}
