import StreamKitKafka
import StreamKitTestSupport
import Testing

@Suite("Pause, resume and seek on the mock cluster")
struct KafkaFlowControlTests {
    @Test func pausedPartitionsDeliverNothingUntilResumedAndSeekRewinds() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let topic = TestEnvironment.uniqueName("flow")
        try cluster.createTopic(topic, partitions: 1)
        let partition = KafkaTopicPartition(topic: topic, partition: 0)
        let producer = try KafkaProducer(configuration: KafkaTestSupport.configuration(cluster.bootstrapServers))
        func produce(_ range: Range<Int>) async throws {
            for index in range { try producer.enqueue(KafkaProducerMessage(topic: topic, key: nil, value: "\(index)")) }
            try await producer.flush(timeout: .seconds(10))
        }
        try await produce(0..<10)

        let consumer = try KafkaConsumer(configuration: KafkaTestSupport.configuration(cluster.bootstrapServers))
        try consumer.assign([partition: .beginning])
        #expect(try await KafkaTestSupport.consume(consumer, count: 10).map(\.offset) == Array(0..<10))
        #expect(try consumer.position(for: [partition]) == [partition: .at(10)])

        try consumer.pause([partition])
        try await produce(10..<15)
        #expect(try await KafkaTestSupport.consume(consumer, for: .seconds(1)).isEmpty)

        try consumer.resume([partition])
        #expect(try await KafkaTestSupport.consume(consumer, count: 5).map(\.offset) == Array(10..<15))

        // A long wait: what is tested is where the seek lands; librdkafka acknowledges late on a busy machine.
        try await consumer.seek([partition: .at(3)], timeout: .seconds(30))
        // Offsets 3 through 14 again: 12 records.
        #expect(try await KafkaTestSupport.consume(consumer, count: 12).map(\.offset) == Array(3..<15))
    }
}
