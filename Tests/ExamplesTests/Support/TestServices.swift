import Foundation
import StreamKitKafka
import StreamKitTimescale

/// The separate services the example tests run against: `KAFKA_BROKERS` (a separate-process broker, e.g.
/// `scripts/kafka-broker start`) and `TIMESCALE_URL` (e.g. `scripts/postgres start`). `scripts/test` starts both.
enum TestServices {
    static let kafkaBrokers = nonEmpty("KAFKA_BROKERS")
    static let timescaleURL = nonEmpty("TIMESCALE_URL")

    /// Whether both services are configured; end-to-end example tests are disabled (skipped by name) otherwise.
    static var isConfigured: Bool { kafkaBrokers != nil && timescaleURL != nil }

    /// A name unique within the test run, for topics, groups, app ids and schemas.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// A consumer of the separate broker reading from the earliest offset, `read_committed` when asked.
    static func makeConsumer(group: String = uniqueName("examples-tests"), readCommitted: Bool = false) throws
        -> KafkaConsumer
    {
        var configuration = KafkaConfiguration(bootstrapServers: kafkaBrokers ?? "127.0.0.1:9092")
        configuration.groupID = group
        configuration.autoOffsetReset = .earliest
        configuration.enableAutoCommit = false
        configuration.isolationLevel = readCommitted ? .readCommitted : .readUncommitted
        configuration.properties["session.timeout.ms"] = "6000"
        configuration.properties["heartbeat.interval.ms"] = "500"
        configuration.properties["topic.metadata.refresh.interval.ms"] = "1000"
        return try KafkaConsumer(configuration: configuration)
    }

    /// Everything on `topics` that arrives until `count` records or `limit` passed.
    static func consume(
        _ topics: [String], count: Int = .max, within limit: Duration = .seconds(30), readCommitted: Bool = false
    ) async throws -> [KafkaMessage] {
        let consumer = try makeConsumer(readCommitted: readCommitted)
        try consumer.subscribe(topics: topics)
        let deadline = ContinuousClock.now + limit
        var messages: [KafkaMessage] = []
        while messages.count < count, ContinuousClock.now < deadline {
            let batch = try await consumer.nextBatch(maxMessages: 1_000, timeout: .milliseconds(200))
            messages += batch.copyMessages()
        }
        try await consumer.close()
        return messages
    }

    /// A connection whose `search_path` is `schema` (created if missing), so each test has its own tables.
    static func connect(schema: String) async throws -> TimescaleConnection {
        let pg = try await TimescaleConnection.connect(url(schema: schema))
        try await pg.execute("CREATE SCHEMA IF NOT EXISTS \(try SQLIdentifier(schema, setting: "schema"))")
        return pg
    }

    /// `TIMESCALE_URL` with `search_path` set to `schema`: pass it to an example's `--timescale-url`.
    static func url(schema: String) -> String {
        let base = timescaleURL ?? "postgres://postgres@127.0.0.1:5432/postgres"
        let separator = base.contains("?") ? "&" : "?"
        let options =
            "-c search_path=\(schema),public -c TimeZone=UTC"
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return base + separator + "options=\(options)"
    }

    private static func nonEmpty(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}
