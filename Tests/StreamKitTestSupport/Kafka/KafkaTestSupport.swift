import StreamKit
import StreamKitKafka

/// Kafka clients for the tests: configurations, and reading topics and offsets back.
package enum KafkaTestSupport {
    /// A producer or consumer configuration for `servers`, from the earliest offset, with manual commits and short
    /// timeouts so that failures show quickly (librdkafka's mock cluster accepts them; a real broker refuses session
    /// timeouts below its `group.min.session.timeout.ms`, 6 s in Kafka).
    package static func configuration(_ servers: String, group: String? = nil) -> KafkaConfiguration {
        var configuration = KafkaConfiguration(bootstrapServers: servers)
        configuration.groupID = group
        configuration.autoOffsetReset = .earliest
        configuration.enableAutoCommit = false
        configuration.properties["session.timeout.ms"] = "3000"
        configuration.properties["heartbeat.interval.ms"] = "300"
        configuration.properties["topic.metadata.refresh.interval.ms"] = "1000"
        return configuration
    }

    // MARK: - Reading topics back

    /// Polls `consumer` until `count` records arrived or `limit` passed, then returns what arrived.
    package static func consume(
        _ consumer: KafkaConsumer, count: Int = .max, within limit: Duration = .seconds(30)
    ) async throws -> [KafkaMessage] {
        let deadline = ContinuousClock.now + limit
        var messages: [KafkaMessage] = []
        while messages.count < count, ContinuousClock.now < deadline {
            let batch = try await consumer.nextBatch(maxMessages: 1_000, timeout: .milliseconds(200))
            messages += batch.copyMessages()
        }
        return messages
    }

    /// Polls `consumer` for `duration` and returns everything that arrived.
    package static func consume(_ consumer: KafkaConsumer, for duration: Duration) async throws -> [KafkaMessage] {
        try await consume(consumer, count: .max, within: duration)
    }

    // MARK: - Offsets

    /// The next offsets `group` committed on `topic`, per partition (partitions without one left out), asked
    /// without joining the group.
    package static func committedOffsets(
        group: String, topic: String, partitions: Int, on broker: KafkaBroker
    ) async throws -> [Int: Int64] {
        var configuration = try broker.configuration
        configuration.groupID = group
        let consumer = try KafkaConsumer(configuration: configuration)
        let committed: [KafkaTopicPartition: KafkaOffset]
        do {
            committed = try await consumer.committedOffsets(
                for: (0..<partitions).map { KafkaTopicPartition(topic: topic, partition: $0) })
        } catch {
            try? await consumer.close()
            throw error
        }
        try await consumer.close()
        return committed.reduce(into: [:]) { offsets, entry in
            if let next = entry.value.absolute { offsets[entry.key.partition] = next }
        }
    }

    /// The UTF-8 bytes of `text`.
    package static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}
