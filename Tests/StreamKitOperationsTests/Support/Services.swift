import Foundation

/// The separate services the tests use when the environment names them (`scripts/test` starts them).
enum Services {
    /// `host:port` of a separate-process Kafka-protocol broker.
    static let kafkaBrokers = value(of: "KAFKA_BROKERS")
    /// A PostgreSQL URL.
    static let timescaleURL = value(of: "TIMESCALE_URL")

    private static func value(of name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}
