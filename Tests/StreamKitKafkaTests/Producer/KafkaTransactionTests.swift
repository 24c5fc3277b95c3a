import StreamKitKafka
import StreamKitTestSupport
import Testing

@Suite("Transactions on the mock cluster")
struct KafkaTransactionTests {
    /// The mock cluster of librdkafka 2.0.2 runs the transaction protocol but neither hides aborted records nor
    /// stores transactional offsets, so this checks the protocol path; the rest is checked on the
    /// separate-process broker.
    @Test func committedTransactionCarriesRecordsAndConsumerOffsets() async throws {
        let cluster = try KafkaMockCluster(brokers: 3)
        let input = TestEnvironment.uniqueName("tx-in")
        let output = TestEnvironment.uniqueName("tx-out")
        try cluster.createTopic(input, partitions: 1, replicationFactor: 3)
        try cluster.createTopic(output, partitions: 1, replicationFactor: 3)
        let plain = try KafkaProducer(configuration: KafkaTestSupport.configuration(cluster.bootstrapServers))
        for index in 0..<5 { try plain.enqueue(KafkaProducerMessage(topic: input, key: nil, value: "\(index)")) }
        try await plain.flush(timeout: .seconds(10))

        let group = TestEnvironment.uniqueName("tx-group")
        var consumerConfiguration = KafkaTestSupport.configuration(cluster.bootstrapServers, group: group)
        consumerConfiguration.isolationLevel = .readCommitted
        let consumer = try KafkaConsumer(configuration: consumerConfiguration)
        try consumer.subscribe(topics: [input])
        let read = try await KafkaTestSupport.consume(consumer, count: 5)
        #expect(read.count == 5)

        var producerConfiguration = KafkaTestSupport.configuration(cluster.bootstrapServers)
        producerConfiguration.transactionalID = TestEnvironment.uniqueName("tx")
        let producer = try KafkaProducer(configuration: producerConfiguration)
        try await producer.initTransactions()
        try producer.beginTransaction()
        for message in read {
            try producer.enqueue(KafkaProducerMessage(topic: output, key: nil, value: message.value))
        }
        let inputPartition = KafkaTopicPartition(topic: input, partition: 0)
        try await producer.sendOffsetsToTransaction(
            [inputPartition: 5], groupMetadata: try consumer.groupMetadata())
        try await producer.commitTransaction()

        // The 2.0.2 mock answers TxnOffsetCommit without storing the offsets, so the committed offset of the
        // input is checked on the separate-process broker (KafkaBrokerEndToEndTests), not here.
        let checker = try KafkaConsumer(configuration: consumerConfiguration)
        try checker.assign([KafkaTopicPartition(topic: output, partition: 0): .beginning])
        let committed = try await KafkaTestSupport.consume(checker, count: 5)
        #expect(committed.map(\.value) == read.map(\.value))
        try await consumer.close()
    }
}
