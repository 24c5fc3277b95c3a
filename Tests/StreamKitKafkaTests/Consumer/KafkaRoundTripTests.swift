import StreamKitKafka
import StreamKitTestSupport
import Testing

@Suite("Produce and consume on the mock cluster")
struct KafkaRoundTripTests {
    @Test func keysHeadersAndTimestampsSurviveTheRoundTrip() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let topic = TestEnvironment.uniqueName("round-trip")
        try cluster.createTopic(topic, partitions: 3)
        let producer = try KafkaProducer(configuration: KafkaTestSupport.configuration(cluster.bootstrapServers))

        let sent = [
            KafkaProducerMessage(
                topic: topic, partition: 1, key: "AAPL", value: "{\"mid\":10}",
                headers: [KafkaHeader(name: "source", value: "feed-a"), KafkaHeader(name: "trace", value: nil)],
                timestampMs: 1_700_000_000_123),
            KafkaProducerMessage(
                topic: topic, partition: 1, key: nil, value: "no key",
                headers: [KafkaHeader(name: "source", value: "feed-b"), KafkaHeader(name: "source", value: "again")],
                timestampMs: 1_700_000_000_456),
            KafkaProducerMessage(
                topic: topic, partition: 1, key: [0, 255, 7], value: nil, timestampMs: 1_700_000_001_000),
        ]
        var reports: [KafkaDeliveryReport] = []
        for message in sent { reports.append(try await producer.send(message)) }
        // One partition, written in order from an empty log: offsets 0, 1, 2.
        #expect(reports.map(\.partition) == [1, 1, 1])
        #expect(reports.map(\.offset) == [0, 1, 2])

        let consumer = try KafkaConsumer(configuration: KafkaTestSupport.configuration(cluster.bootstrapServers))
        try consumer.assign([KafkaTopicPartition(topic: topic, partition: 1): .beginning])
        let received = try await KafkaTestSupport.consume(consumer, count: 3)

        let expected = [
            KafkaMessage(
                topic: topic, partition: 1, offset: 0, key: KafkaTestSupport.bytes("AAPL"),
                value: KafkaTestSupport.bytes("{\"mid\":10}"), timestampMs: 1_700_000_000_123,
                headers: [KafkaHeader(name: "source", value: "feed-a"), KafkaHeader(name: "trace", value: nil)]),
            KafkaMessage(
                topic: topic, partition: 1, offset: 1, key: nil, value: KafkaTestSupport.bytes("no key"),
                timestampMs: 1_700_000_000_456,
                headers: [KafkaHeader(name: "source", value: "feed-b"), KafkaHeader(name: "source", value: "again")]),
            KafkaMessage(
                topic: topic, partition: 1, offset: 2, key: [0, 255, 7], value: nil, timestampMs: 1_700_000_001_000,
                headers: []),
        ]
        #expect(received == expected)
        try await consumer.close()
    }

    @Test func batchViewsReadPayloadsInPlace() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let topic = TestEnvironment.uniqueName("views")
        try cluster.createTopic(topic, partitions: 1)
        try await KafkaTestSupport.produceNumbered(
            100, to: topic, on: cluster.bootstrapServers, keyed: true, partition: 0)

        let consumer = try KafkaConsumer(configuration: KafkaTestSupport.configuration(cluster.bootstrapServers))
        try consumer.assign([KafkaTopicPartition(topic: topic, partition: 0): .beginning])
        var sum = 0
        var count = 0
        let deadline = ContinuousClock.now + .seconds(20)
        while count < 100, ContinuousClock.now < deadline {
            let batch = try await consumer.nextBatch(maxMessages: 64, timeout: .milliseconds(200))
            #expect(batch.count <= 64)
            batch.forEach { message in
                // Parse the decimal value straight from librdkafka's buffer.
                sum += message.value!.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
                count += 1
            }
        }
        #expect(count == 100)
        #expect(sum == 4_950)  // 0 + 1 + … + 99 = 99 · 100 / 2
        let lag = try await consumer.lag(for: [KafkaTopicPartition(topic: topic, partition: 0)])
        #expect(lag == [KafkaTopicPartition(topic: topic, partition: 0): 0])
    }

    /// The lag from the ends of the last fetches equals the lag from asking the leader, without a request.
    @Test func lagFromFetchedEndsEqualsTheAskedLag() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let topic = TestEnvironment.uniqueName("fetched-lag")
        try cluster.createTopic(topic, partitions: 1)
        let partition = KafkaTopicPartition(topic: topic, partition: 0)
        try await KafkaTestSupport.produceNumbered(100, to: topic, on: cluster.bootstrapServers, partition: 0)

        let consumer = try KafkaConsumer(configuration: KafkaTestSupport.configuration(cluster.bootstrapServers))
        // Never fetched: no fetched end, so it is asked for (committed: none, so from the low watermark, 0).
        try consumer.assign([partition: .at(40)])
        #expect(try await consumer.lag(for: [partition], fetchedEnds: true) == [partition: 100])
        var count = 0
        let deadline = ContinuousClock.now + .seconds(20)
        while count < 30, ContinuousClock.now < deadline {
            count += try await consumer.nextBatch(maxMessages: 30 - count, timeout: .milliseconds(200)).count
        }
        #expect(count == 30)  // offsets 40…69 read: 30 of the 100 left
        #expect(try await consumer.lag(for: [partition], fetchedEnds: true) == [partition: 30])
        #expect(try await consumer.lag(for: [partition]) == [partition: 30])
        // No request: while the leader refuses offset requests, the fetched end still answers.
        cluster.pushRequestErrors(.listOffsets, Array(repeating: .notLeaderForPartition, count: 50))
        #expect(try await consumer.lag(for: [partition], fetchedEnds: true) == [partition: 30])
        await #expect(throws: KafkaError.self) { try await consumer.lag(for: [partition], timeout: .milliseconds(500)) }
        cluster.clearRequestErrors(.listOffsets)
        try await consumer.close()
    }
}
