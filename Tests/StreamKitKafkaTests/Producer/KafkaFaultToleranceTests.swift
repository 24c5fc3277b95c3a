import StreamKitKafka
import StreamKitTestSupport
import Testing

@Suite("Failures injected into the mock cluster")
struct KafkaFaultToleranceTests {
    /// Sequence numbers 0..<count as values, keyed so they spread over the partitions.
    private static func sequence(_ range: Range<Int>, topic: String) -> [KafkaProducerMessage] {
        range.map { KafkaProducerMessage(topic: topic, key: "key-\($0 % 13)", value: "\($0)") }
    }

    private static func sequenceNumbers(_ messages: [KafkaMessage]) -> [Int] {
        messages.map { Int(String(decoding: $0.value ?? [], as: UTF8.self))! }.sorted()
    }

    @Test func aBrokerTakenDownMidStreamAndBroughtBackLosesNothing() async throws {
        let cluster = try KafkaMockCluster(brokers: 3)
        let topic = TestEnvironment.uniqueName("broker-down")
        try cluster.createTopic(topic, partitions: 4)
        for partition in 0..<4 {
            try cluster.setPartitionLeader(topic: topic, partition: partition, brokerID: partition % 2 + 1)
        }
        var configuration = KafkaTestSupport.configuration(cluster.bootstrapServers)
        configuration.enableIdempotence = true
        let producer = try KafkaProducer(configuration: configuration)
        let consumer = try KafkaConsumer(configuration: KafkaTestSupport.configuration(cluster.bootstrapServers))
        try consumer.assign(
            Dictionary(
                uniqueKeysWithValues: (0..<4).map {
                    (KafkaTopicPartition(topic: topic, partition: $0), KafkaOffset.beginning)
                }))

        let total = 400
        for message in Self.sequence(0..<200, topic: topic) { try producer.enqueue(message) }
        try await producer.flush(timeout: .seconds(20))
        var received = try await KafkaTestSupport.consume(consumer, count: 100, within: .seconds(20))

        // Broker 1 leads partitions 0 and 2: they stall while it is down.
        try cluster.setBrokerDown(1)
        for message in Self.sequence(200..<total, topic: topic) { try producer.enqueue(message) }
        received += try await KafkaTestSupport.consume(consumer, for: .seconds(2))
        try cluster.setBrokerUp(1)
        // Reconnecting goes through librdkafka's backoff; on a machine busy with the other suites it takes a while.
        try await producer.flush(timeout: .seconds(90))
        received += try await KafkaTestSupport.consume(consumer, count: total - received.count, within: .seconds(60))

        #expect(Self.sequenceNumbers(received) == Array(0..<total))
        #expect(producer.deliveryFailureCount == 0)
    }

    @Test func injectedProduceErrorsAreRetriedWithoutLossOrDuplicates() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let topic = TestEnvironment.uniqueName("retries")
        try cluster.createTopic(topic, partitions: 2)
        var configuration = KafkaTestSupport.configuration(cluster.bootstrapServers)
        configuration.enableIdempotence = true
        configuration.linger = .milliseconds(5)
        let producer = try KafkaProducer(configuration: configuration)
        // Make sure the producer is connected and has its producer id before the errors are queued.
        _ = try await producer.send(KafkaProducerMessage(topic: topic, key: "warm-up", value: "-1"))

        cluster.pushRequestErrors(
            .produce,
            [.notLeaderForPartition, .requestTimedOut, .notEnoughReplicas, .leaderNotAvailable, .notEnoughReplicas])
        let total = 300
        for message in Self.sequence(0..<total, topic: topic) { try producer.enqueue(message) }
        try await producer.flush(timeout: .seconds(30))
        #expect(producer.deliveryFailureCount == 0)

        let consumer = try KafkaConsumer(configuration: KafkaTestSupport.configuration(cluster.bootstrapServers))
        try consumer.assign([
            KafkaTopicPartition(topic: topic, partition: 0): .beginning,
            KafkaTopicPartition(topic: topic, partition: 1): .beginning,
        ])
        let received = try await KafkaTestSupport.consume(consumer, count: total + 1)
        // Any duplicate would show up here as a repeated number or a count above total + 1.
        let extra = try await KafkaTestSupport.consume(consumer, for: .milliseconds(500))
        #expect(Self.sequenceNumbers(received + extra) == [-1] + Array(0..<total))
    }

    @Test func aDeliveryThatCannotSucceedFailsTheSendWithTheBrokerError() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let topic = TestEnvironment.uniqueName("doomed")
        try cluster.createTopic(topic, partitions: 1)
        var configuration = KafkaTestSupport.configuration(cluster.bootstrapServers)
        configuration.properties["retries"] = "0"
        let producer = try KafkaProducer(configuration: configuration)
        _ = try await producer.send(KafkaProducerMessage(topic: topic, key: nil, value: "warm-up"))
        // MESSAGE_TOO_LARGE (10) is not retriable.
        cluster.pushRequestErrors(.produce, [KafkaError.Code(rawValue: 10)])
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaProducerMessage(topic: topic, key: nil, value: "too large"))
        }
        #expect(error?.code == KafkaError.Code(rawValue: 10))
        #expect(error?.topic == topic)
    }
}
