import ArgumentParser
import ExampleSupport
import Foundation

/// The flags that say which topics, consumer groups and value format a stage uses.
///
/// `--app-id` is the base of the stages' application ids: each stage's consumer group is `<app-id>-<stage>`, by
/// default `<topic-prefix>order-analytics-<stage>`.
struct PipelineOptions: ParsableArguments, Sendable {
    @OptionGroup var naming: NamingOptions

    @Option(help: "Partitions of the topics the example creates (existing topics keep theirs).")
    var partitions = 3

    @Option(
        help: ArgumentHelp(
            "Value format of the example's topics: json or avro.",
            discussion: """
                avro writes the Confluent wire format with schemas registered under <topic>-value and needs \
                --schema-registry. Default: avro when a Schema Registry is configured, else json (the same \
                snake_case fields as the Avro schemas).
                """))
    var format: PayloadFormat?

    init() {}

    mutating func validate() throws {
        guard (1...1_000).contains(partitions) else { throw ValidationError("--partitions must be from 1 to 1000") }
    }

    var topics: OrderTopics { OrderTopics(prefix: naming.topicPrefix) }

    /// The application id of `stage` (`aggregate`, `trends`, `etl`, `gateway`).
    func applicationID(_ stage: String) -> String {
        "\(naming.appName(default: naming.topicPrefix + "order-analytics"))-\(stage)"
    }

    /// The value codec for `--format`, with the registry of `connection`; throws naming the flag at fault.
    func makeCodec(_ connection: ConnectionOptions) throws -> OrderCodec {
        let registryURL = connection.resolvedSchemaRegistry
        switch format ?? (registryURL == nil ? .json : .avro) {
        case .json:
            return try OrderCodec(registry: nil)
        case .avro:
            guard let registryURL else {
                throw ValidationError("--format avro needs --schema-registry or SCHEMA_REGISTRY_URL")
            }
            return try OrderCodec(registry: registryURL)
        }
    }
}
