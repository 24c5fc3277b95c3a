import ArgumentParser
import Foundation
import StreamKitKafka
import StreamKitTimescale

/// The connection flags every example takes: where Kafka is and where the database is.
///
/// Each flag falls back to its environment variable (`KAFKA_BROKERS`, `TIMESCALE_URL`, `SCHEMA_REGISTRY_URL`),
/// and without either the example runs on the embedded in-process cluster and writes to no database.
package struct ConnectionOptions: ParsableArguments, Sendable {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Kafka bootstrap servers (host:port,…).",
            discussion: "Default: $KAFKA_BROKERS; without it, an embedded in-process cluster."))
    package var brokers: String?

    @Option(
        name: .customLong("kafka-property"),
        help: ArgumentHelp(
            "A librdkafka property as name=value (repeatable), e.g. security.protocol=SASL_SSL.",
            valueName: "name=value"))
    package var kafkaProperties: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "PostgreSQL/TimescaleDB connection URL (libpq syntax; sslmode and other options pass through).",
            discussion: "Default: $TIMESCALE_URL; without it, nothing is written to a database."))
    package var timescaleURL: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Schema Registry URL for Avro values.", discussion: "Default: $SCHEMA_REGISTRY_URL."))
    package var schemaRegistry: String?

    package init() {}

    /// The bootstrap servers from the flag or `KAFKA_BROKERS`; `nil` means the embedded cluster.
    package var resolvedBrokers: String? {
        Self.nonEmpty(brokers) ?? Self.nonEmpty(ProcessInfo.processInfo.environment["KAFKA_BROKERS"])
    }

    /// The database URL from the flag or `TIMESCALE_URL`, if any.
    package var resolvedTimescaleURL: String? {
        Self.nonEmpty(timescaleURL) ?? Self.nonEmpty(ProcessInfo.processInfo.environment["TIMESCALE_URL"])
    }

    /// The Schema Registry URL from the flag or `SCHEMA_REGISTRY_URL`, if any.
    package var resolvedSchemaRegistry: String? {
        Self.nonEmpty(schemaRegistry) ?? Self.nonEmpty(ProcessInfo.processInfo.environment["SCHEMA_REGISTRY_URL"])
    }

    package mutating func validate() throws {
        for property in kafkaProperties {
            guard let equals = property.firstIndex(of: "="), equals != property.startIndex else {
                throw ValidationError("--kafka-property '\(property)' is not name=value")
            }
        }
        if !kafkaProperties.isEmpty && resolvedBrokers == nil {
            throw ValidationError("--kafka-property needs --brokers or KAFKA_BROKERS (the embedded cluster takes none)")
        }
    }

    /// Where the cluster is: the embedded one, or the servers with the extra properties applied.
    package var kafkaEndpoint: KafkaBroker.Endpoint {
        guard let servers = resolvedBrokers else { return .embedded }
        var configuration = KafkaConfiguration(bootstrapServers: servers)
        for property in kafkaProperties {
            let equals = property.firstIndex(of: "=")!
            configuration.properties[String(property[..<equals])] = String(property[property.index(after: equals)...])
        }
        return .configuration(configuration)
    }

    /// A human description of the Kafka side, credentials masked.
    package var kafkaDescription: String {
        resolvedBrokers == nil ? "embedded in-process cluster" : "Kafka at \(resolvedBrokers!)"
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return value
    }
}
