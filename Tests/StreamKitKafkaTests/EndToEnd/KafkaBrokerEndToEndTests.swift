import StreamKitKafka
import StreamKitTestSupport
import Testing

/// Runs against a separate-process broker named by `KAFKA_BROKERS` (for example the one from
/// `KAFKA_BROKERS=$(scripts/kafka-broker start)`). Without it the suite is reported as skipped by name:
/// it checks what librdkafka's 2.0.2 mock cluster cannot, namely topic creation through the admin API,
/// aborted transactions hidden from `read_committed` consumers, and offsets committed in a transaction.
@Suite(
    "End to end on a separate-process broker",
    .enabled(if: TestEnvironment.hasKafka, SkipReason.noKafka))
struct KafkaBrokerEndToEndTests {

    /// A real broker refuses session timeouts below its `group.min.session.timeout.ms` (6 s in Kafka).
    private static func configuration(_ brokers: String, group: String? = nil) -> KafkaConfiguration {
        var configuration = KafkaTestSupport.configuration(brokers, group: group)
        configuration.properties["session.timeout.ms"] = "10000"
        configuration.properties["heartbeat.interval.ms"] = "1000"
        return configuration
    }

    /// Begins a transaction, enqueues `values` with current timestamps, then runs `end` (offsets, commit or abort).
    private static func transaction(
        _ producer: KafkaProducer, writing values: [String], to topic: String, end: () async throws -> Void
    ) async throws {
        try producer.beginTransaction()
        for value in values {
            try producer.enqueue(
                KafkaProducerMessage(topic: topic, key: nil, value: value, timestampMs: WallClock.nowMs))
        }
        try await end()
    }

    private func makeTopic(_ admin: KafkaAdmin, _ prefix: String, partitions: Int) async throws -> String {
        let name = TestEnvironment.uniqueName(prefix)
        try await admin.createTopics([KafkaTopicSpecification(name: name, partitions: partitions, replicationFactor: 1)]
        )
        return name
    }

    @Test func createsTopicsAndRoundTripsRecords() async throws {
        let brokers = try #require(TestEnvironment.kafkaBrokers)
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: brokers))
        let specification = KafkaTopicSpecification(
            name: TestEnvironment.uniqueName("e2e-round-trip"), partitions: 2, replicationFactor: 1,
            configs: ["cleanup.policy": "compact"])
        try await admin.createTopics([specification])
        try await admin.createTopics([specification], ifNotExists: true)
        let error = await #expect(throws: KafkaError.self) { try await admin.createTopics([specification]) }
        #expect(error?.code == .topicAlreadyExists)
        let topic = specification.name
        #expect(try await admin.describeTopic(topic)?.partitions.map(\.id) == [0, 1])

        let producer = try KafkaProducer(configuration: Self.configuration(brokers))
        let now = WallClock.nowMs
        let sent = (0..<3).map { index in
            KafkaProducerMessage(
                topic: topic, partition: 1, key: "key-\(index)", value: "value-\(index)",
                headers: [KafkaHeader(name: "n", value: "\(index)")], timestampMs: now + Int64(index))
        }
        var reports: [KafkaDeliveryReport] = []
        for message in sent { reports.append(try await producer.send(message)) }
        #expect(reports.map(\.offset) == [0, 1, 2])

        let consumer = try KafkaConsumer(configuration: Self.configuration(brokers))
        try consumer.assign([KafkaTopicPartition(topic: topic, partition: 1): .beginning])
        let received = try await KafkaTestSupport.consume(consumer, count: 3)
        #expect(
            received
                == (0..<3).map { index in
                    KafkaMessage(
                        topic: topic, partition: 1, offset: Int64(index), key: KafkaTestSupport.bytes("key-\(index)"),
                        value: KafkaTestSupport.bytes("value-\(index)"), timestampMs: now + Int64(index),
                        headers: [KafkaHeader(name: "n", value: "\(index)")])
                })
    }

    @Test func anAbortedTransactionIsInvisibleToReadCommitted() async throws {
        let brokers = try #require(TestEnvironment.kafkaBrokers)
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: brokers))
        let input = try await makeTopic(admin, "e2e-tx-in", partitions: 1)
        let output = try await makeTopic(admin, "e2e-tx-out", partitions: 1)

        let plain = try KafkaProducer(configuration: Self.configuration(brokers))
        for index in 0..<4 {
            try plain.enqueue(
                KafkaProducerMessage(topic: input, key: nil, value: "in-\(index)", timestampMs: WallClock.nowMs))
        }
        try await plain.flush(timeout: .seconds(10))

        var consumerConfiguration = Self.configuration(brokers, group: TestEnvironment.uniqueName("e2e-tx"))
        consumerConfiguration.isolationLevel = .readCommitted
        let consumer = try KafkaConsumer(configuration: consumerConfiguration)
        try consumer.subscribe(topics: [input])
        #expect(try await KafkaTestSupport.consume(consumer, count: 4).count == 4)

        var producerConfiguration = Self.configuration(brokers)
        producerConfiguration.transactionalID = TestEnvironment.uniqueName("e2e-tx")
        let producer = try KafkaProducer(configuration: producerConfiguration)
        try await producer.initTransactions()
        let inputPartition = KafkaTopicPartition(topic: input, partition: 0)

        // Input records 0...1 processed into an aborted transaction, then 0...3 into a committed one.
        let metadata = try consumer.groupMetadata()
        try await Self.transaction(producer, writing: ["aborted-0", "aborted-1", "aborted-2"], to: output) {
            try await producer.sendOffsetsToTransaction([inputPartition: 2], groupMetadata: metadata)
            try await producer.abortTransaction()
        }
        try await Self.transaction(producer, writing: ["committed-0", "committed-1"], to: output) {
            try await producer.sendOffsetsToTransaction([inputPartition: 4], groupMetadata: metadata)
            try await producer.commitTransaction()
        }

        // Only the committed transaction's offsets count: 4, not the aborted 2.
        #expect(try await consumer.committedOffsets(for: [inputPartition]) == [inputPartition: .at(4)])

        let reader = try KafkaConsumer(configuration: consumerConfiguration)
        try reader.assign([KafkaTopicPartition(topic: output, partition: 0): .beginning])
        let visible = try await KafkaTestSupport.consume(reader, count: 2)
        let late = try await KafkaTestSupport.consume(reader, for: .seconds(1))
        #expect(
            (visible + late).map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["committed-0", "committed-1"])
        try await consumer.close()
    }
}
