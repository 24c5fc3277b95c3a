import ArgumentParser
import ExampleSupport
import Foundation

/// The flags that say which topics, consumer groups and value format a stage uses.
struct PipelineOptions: ParsableArguments, Sendable {
    @Option(help: "Prefix of every topic name, e.g. 'staging.' for staging.order_events.")
    var topicPrefix = ""

    @Option(
        help: ArgumentHelp(
            "Base of the application ids: each stage's consumer group is <app-id>-<stage>.",
            discussion: "Default: <topic-prefix>order-analytics."))
    var appId: String?

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
        if !topicPrefix.unicodeScalars.allSatisfy(Self.isTopicCharacter) {
            throw ValidationError("--topic-prefix may only use a–z, A–Z, 0–9, '.', '_' and '-'")
        }
        if let appId, appId.isEmpty || !appId.unicodeScalars.allSatisfy(Self.isTopicCharacter) {
            throw ValidationError("--app-id must be non-empty and use only a–z, A–Z, 0–9, '.', '_' and '-'")
        }
    }

    var topics: OrderTopics { OrderTopics(prefix: topicPrefix) }

    /// The application id of `stage` (`aggregate`, `trends`, `etl`, `gateway`).
    func applicationID(_ stage: String) -> String { "\(appId ?? topicPrefix + "order-analytics")-\(stage)" }

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

    private static func isTopicCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || "0123456789._-".unicodeScalars.contains(scalar))
    }
}
