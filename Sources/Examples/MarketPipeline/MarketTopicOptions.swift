import ArgumentParser
import ExampleSupport
import StreamKit
import StreamKitAvro

/// `--topic-prefix`, `--app-id` and `--format`: which topics and application id the commands use and how tick
/// values are encoded.
struct MarketTopicOptions: ParsableArguments {
    @OptionGroup var naming: NamingOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Tick format on orderbook.raw: json, or avro (Confluent wire format; needs --schema-registry).",
            valueName: "json|avro"))
    var format: PayloadFormat = .json

    var topics: MarketTopics { MarketTopics(prefix: naming.topicPrefix) }

    /// `--app-id`, by default `market-pipeline`: the consumer group and the prefix of the state changelog topics.
    /// Keep it stable across restarts so the app resumes where it stopped.
    var applicationID: String { naming.appName(default: "market-pipeline") }

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
