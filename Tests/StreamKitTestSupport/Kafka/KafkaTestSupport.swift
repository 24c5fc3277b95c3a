import StreamKit
import StreamKitKafka

/// Kafka clients for the tests: configurations, consumers of the separate-process broker, and reading topics back.
package enum KafkaTestSupport {
    /// A producer or consumer configuration for `servers`, from the earliest offset, with manual commits and short
    /// timeouts so that failures show quickly (librdkafka's mock cluster accepts them; a real broker wants
    /// `makeConsumer`'s).
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

    /// A consumer of the separate-process broker (`TestEnvironment.kafkaBrokers`) reading from the earliest offset,
    /// `read_committed` when asked. A real broker refuses session timeouts below its
    /// `group.min.session.timeout.ms` (6 s in Kafka).
    package static func makeConsumer(
        group: String = TestEnvironment.uniqueName("streamkit-tests"), readCommitted: Bool = false
    ) throws -> KafkaConsumer {
        var configuration = configuration(TestEnvironment.kafkaBrokers ?? "127.0.0.1:9092", group: group)
        configuration.isolationLevel = readCommitted ? .readCommitted : .readUncommitted
        configuration.properties["session.timeout.ms"] = "6000"
        configuration.properties["heartbeat.interval.ms"] = "500"
        return try KafkaConsumer(configuration: configuration)
    }

    // MARK: - Writing topics

    /// Produces `count` records to `topic` on `servers` and waits for their delivery: values "0", "1", …, keys
    /// "k0", "k1", … when `keyed`, all to `partition` when given.
    package static func produceNumbered(
        _ count: Int, to topic: String, on servers: String, keyed: Bool = false, partition: Int? = nil
    ) async throws {
        let producer = try KafkaProducer(configuration: configuration(servers))
        for index in 0..<count {
            try producer.enqueue(
                KafkaProducerMessage(
                    topic: topic, partition: partition, key: keyed ? "k\(index)" : nil, value: "\(index)"))
        }
        try await producer.flush(timeout: .seconds(10))
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

    /// Everything on `topics` of the separate-process broker that arrives, from the beginning, until `count`
    /// records or `limit` passed; read by a consumer of its own group that is closed afterwards.
    package static func consume(
        _ topics: [String], count: Int = .max, within limit: Duration = .seconds(30), readCommitted: Bool = false
    ) async throws -> [KafkaMessage] {
        let consumer = try makeConsumer(readCommitted: readCommitted)
        try consumer.subscribe(topics: topics)
        let messages = try await consume(consumer, count: count, within: limit)
        try await consumer.close()
        return messages
    }

    /// Every committed record of `topic` (`read_committed`), all partitions, from the beginning to the end now.
    package static func readToEnd(_ topic: String, on broker: KafkaBroker) async throws -> [RawRecord] {
        let admin = try KafkaAdmin(configuration: broker.configuration)
        let partitions = try await admin.describeTopic(topic)?.partitions.count ?? 0
        var records: [RawRecord] = []
        for partition in 0..<partitions {
            try await broker.readToEnd(TopicPartition(topic: topic, partition: partition)) { records.append($0.copy()) }
        }
        return records
    }

    // MARK: - Offsets

    /// The next offsets `group` committed on `topic`, per partition (partitions without one left out), asked
    /// without joining the group.
    package static func committedOffsets(
        group: String, topic: String, partitions: Int, on broker: KafkaBroker
    ) async throws -> [Int: Int64] {
        var configuration = try broker.configuration
        configuration.groupID = group
        return try await withConsumer(configuration) { consumer in
            let all = (0..<partitions).map { KafkaTopicPartition(topic: topic, partition: $0) }
            var offsets: [Int: Int64] = [:]
            for (partition, offset) in try await consumer.committedOffsets(for: all) {
                if let next = offset.absolute { offsets[partition.partition] = next }
            }
            return offsets
        }
    }

    /// The end of each partition of `topic`: the offset after its last record.
    package static func endOffsets(_ topic: String, partitions: Int, on broker: KafkaBroker) async throws -> [Int:
        Int64]
    {
        var configuration = try broker.configuration
        configuration.groupID = nil
        return try await withConsumer(configuration) { consumer in
            var ends: [Int: Int64] = [:]
            for partition in 0..<partitions {
                ends[partition] = try await consumer.watermarks(
                    for: KafkaTopicPartition(topic: topic, partition: partition)
                ).high
            }
            return ends
        }
    }

    /// Runs `body` with a consumer that never joins a group (no subscription), closed afterwards.
    private static func withConsumer<Result>(
        _ configuration: KafkaConfiguration, _ body: (KafkaConsumer) async throws -> Result
    ) async throws -> Result {
        let consumer = try KafkaConsumer(configuration: configuration)
        do {
            let result = try await body(consumer)
            try await consumer.close()
            return result
        } catch {
            try? await consumer.close()
            throw error
        }
    }

    /// The UTF-8 bytes of `text`.
    package static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}
