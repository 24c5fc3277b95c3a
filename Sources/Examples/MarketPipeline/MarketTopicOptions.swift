import ArgumentParser
import ExampleSupport
import StreamKit
import StreamKitKafka

/// `--topic-prefix` and `--format`: which topics the commands use and how tick values are encoded.
struct MarketTopicOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Put this in front of every topic name (e.g. 'test1.' gives 'test1.orderbook.raw').",
            discussion: "Lets several pipelines share one cluster; the names after the prefix stay as documented."))
    var topicPrefix = ""

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Tick format on orderbook.raw: json, or avro (Confluent wire format; needs --schema-registry).",
            valueName: "json|avro"))
    var format: PayloadFormat = .json

    mutating func validate() throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard topicPrefix.count <= 100, topicPrefix.allSatisfy(allowed.contains) else {
            throw ValidationError("--topic-prefix may hold only letters, digits, '.', '_' and '-' (at most 100)")
        }
    }

    var topics: MarketTopics { MarketTopics(prefix: topicPrefix) }

    /// Checks what needs the connection flags too: Avro needs a Schema Registry. Call from `validate()`.
    func validate(with connection: ConnectionOptions) throws {
        if format == .avro && connection.resolvedSchemaRegistry == nil {
            throw ValidationError("--format avro needs --schema-registry or SCHEMA_REGISTRY_URL")
        }
    }

    /// The serde of the ticks: JSON, or Avro with the `Tick` schema registered under `<raw topic>-value`.
    func tickSerde(connection: ConnectionOptions) throws -> Serde<Tick> {
        switch format {
        case .json:
            return .json
        case .avro:
            guard let url = connection.resolvedSchemaRegistry else {
                throw ValidationError("--format avro needs --schema-registry or SCHEMA_REGISTRY_URL")
            }
            let registry: SchemaRegistryClient
            do {
                registry = try SchemaRegistryClient(url: url)
            } catch {
                throw ValidationError("--schema-registry: \(error)")
            }
            return .avro(schema: try Tick.avroSchema(), registry: registry, subject: "\(topics.raw)-value")
        }
    }
}
