import Foundation

/// The separate services the tests use when the environment names them, read once per test process:
/// `KAFKA_BROKERS` (a separate-process broker, e.g. `scripts/kafka-broker start`) and `TIMESCALE_URL` (e.g.
/// `scripts/postgres start`); `scripts/test` starts both. An empty value counts as unset, as it does for the
/// examples, which also read `SCHEMA_REGISTRY_URL`.
///
/// Tests that need a service are disabled without it, with a trait and one of the `SkipReason`s, so that a run
/// lists them as skipped by name:
///
///     @Suite(.enabled(if: TestEnvironment.hasKafka, SkipReason.noKafka))
package enum TestEnvironment {
    /// The variable naming the separate broker's `host:port` list.
    package static let kafkaBrokersVariable = "KAFKA_BROKERS"
    /// The variable naming the PostgreSQL (TimescaleDB) server's URL.
    package static let timescaleURLVariable = "TIMESCALE_URL"
    /// The variable naming a Schema Registry's URL (read by the examples; the tests use a test double).
    package static let schemaRegistryURLVariable = "SCHEMA_REGISTRY_URL"

    /// The separate-process broker's `host:port` list, or `nil` when `KAFKA_BROKERS` is unset or empty.
    package static let kafkaBrokers = value(of: kafkaBrokersVariable)
    /// The PostgreSQL server's URL, or `nil` when `TIMESCALE_URL` is unset or empty.
    package static let timescaleURL = value(of: timescaleURLVariable)

    /// Whether a separate-process broker is configured.
    package static var hasKafka: Bool { kafkaBrokers != nil }
    /// Whether a PostgreSQL server is configured.
    package static var hasTimescale: Bool { timescaleURL != nil }
    /// Whether both the broker and the database are configured, as the examples' end-to-end tests need.
    package static var hasKafkaAndTimescale: Bool { hasKafka && hasTimescale }

    /// An environment for a child process that sets every service variable empty, so that it runs as a user
    /// runs it first: on the embedded cluster, without a database or a registry.
    package static let withoutServices = [
        kafkaBrokersVariable: "", timescaleURLVariable: "", schemaRegistryURLVariable: "",
    ]

    /// A name unique within the test run, for topics, groups, app ids and prefixes: `<prefix>-<random>`.
    package static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// A name unique within the test run that is also a plain SQL identifier, for schemas: `<prefix>_<random>`.
    package static func uniqueSchemaName(_ prefix: String) -> String {
        "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
    }

    private static func value(of name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}
