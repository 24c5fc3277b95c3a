import Testing

/// Why a test that needs a separate service is disabled, for the comment of its `.enabled(if:_:)` trait: one
/// wording per service, naming the variable and what sets it.
package enum SkipReason {
    /// For tests that need `TestEnvironment.hasKafka`.
    package static let noKafka: Comment = "KAFKA_BROKERS is not set (scripts/kafka-broker start, or scripts/test)"
    /// For tests that need `TestEnvironment.hasTimescale`.
    package static let noTimescale: Comment = "TIMESCALE_URL is not set (scripts/postgres start, or scripts/test)"
    /// For tests that need `TestEnvironment.hasKafkaAndTimescale`.
    package static let noKafkaOrTimescale: Comment =
        "KAFKA_BROKERS or TIMESCALE_URL is not set (scripts/test sets both)"
    /// For tests that need the TimescaleDB extension on the server (`TestDatabase.hasTimescaleExtension()`).
    package static let noTimescaleExtension: Comment = "the timescaledb extension is not available on the server"
}
