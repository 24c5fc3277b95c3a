import StreamKitKafka

/// Helpers shared by the Kafka tests: configurations for a cluster and a deadline-bounded consume loop.
enum KafkaTestSupport {
    /// A producer or consumer configuration for `servers`, with short timeouts so failures show quickly.
    static func configuration(_ servers: String, group: String? = nil) -> KafkaConfiguration {
        var configuration = KafkaConfiguration(bootstrapServers: servers)
        configuration.groupID = group
        configuration.autoOffsetReset = .earliest
        configuration.enableAutoCommit = false
        configuration.properties["session.timeout.ms"] = "3000"
        configuration.properties["heartbeat.interval.ms"] = "300"
        configuration.properties["topic.metadata.refresh.interval.ms"] = "1000"
        return configuration
    }

    /// Polls until `count` records arrived or `limit` passed (then returns what arrived).
    static func consume(
        _ consumer: KafkaConsumer, count: Int, within limit: Duration = .seconds(30)
    ) async throws -> [KafkaMessage] {
        let deadline = ContinuousClock.now + limit
        var messages: [KafkaMessage] = []
        while messages.count < count, ContinuousClock.now < deadline {
            let batch = try await consumer.nextBatch(maxMessages: 1_000, timeout: .milliseconds(200))
            messages += batch.copyMessages()
        }
        return messages
    }

    /// Polls for `duration` and returns everything that arrived.
    static func consume(_ consumer: KafkaConsumer, for duration: Duration) async throws -> [KafkaMessage] {
        try await consume(consumer, count: .max, within: duration)
    }

    /// A topic name unique within the test run.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UInt32.random(in: 0...UInt32.max))"
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}
