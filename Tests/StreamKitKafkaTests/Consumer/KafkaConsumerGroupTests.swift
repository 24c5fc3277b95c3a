import StreamKitKafka
import StreamKitTestSupport
import Testing

@Suite("Consumer groups on the mock cluster")
struct KafkaConsumerGroupTests {
    @Test func twoMembersSplitThePartitions() async throws {
        let cluster = try KafkaMockCluster(brokers: 3)
        let topic = TestEnvironment.uniqueName("split")
        try cluster.createTopic(topic, partitions: 6)
        let group = TestEnvironment.uniqueName("group")
        let first = try KafkaConsumer(
            configuration: KafkaTestSupport.configuration(cluster.bootstrapServers, group: group))
        let second = try KafkaConsumer(
            configuration: KafkaTestSupport.configuration(cluster.bootstrapServers, group: group))
        try first.subscribe(topics: [topic])
        try second.subscribe(topics: [topic])

        let all = Set((0..<6).map { KafkaTopicPartition(topic: topic, partition: $0) })
        var firstOwned: Set<KafkaTopicPartition> = []
        var secondOwned: Set<KafkaTopicPartition> = []
        let deadline = ContinuousClock.now + .seconds(40)
        while ContinuousClock.now < deadline {
            async let a = first.nextBatch(maxMessages: 100, timeout: .milliseconds(200))
            async let b = second.nextBatch(maxMessages: 100, timeout: .milliseconds(200))
            _ = try await (a, b)
            firstOwned = Self.apply(first.drainRebalanceEvents(), to: firstOwned)
            secondOwned = Self.apply(second.drainRebalanceEvents(), to: secondOwned)
            if !firstOwned.isEmpty, !secondOwned.isEmpty, firstOwned.union(secondOwned) == all { break }
        }
        #expect(firstOwned.union(secondOwned) == all)
        #expect(firstOwned.isDisjoint(with: secondOwned))
        #expect(!firstOwned.isEmpty && !secondOwned.isEmpty)
        // The events agree with what librdkafka reports as assigned.
        #expect(Set(try first.assignment()) == firstOwned)
        #expect(Set(try second.assignment()) == secondOwned)

        async let closeFirst: Void = first.close()
        async let closeSecond: Void = second.close()
        _ = try await (closeFirst, closeSecond)
    }

    /// Replays rebalance events: the eager protocol revokes everything, then assigns the complete new set.
    private static func apply(_ events: [KafkaRebalanceEvent], to owned: Set<KafkaTopicPartition>) -> Set<
        KafkaTopicPartition
    > {
        var owned = owned
        for event in events {
            switch event {
            case .assigned(let partitions): owned.formUnion(partitions)
            case .revoked(let partitions, _): owned.subtract(partitions)
            case .failed: owned = []
            }
        }
        return owned
    }

    @Test func aNewMemberResumesFromTheCommittedOffset() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let topic = TestEnvironment.uniqueName("resume")
        try cluster.createTopic(topic, partitions: 1)
        let group = TestEnvironment.uniqueName("group")
        let producer = try KafkaProducer(configuration: KafkaTestSupport.configuration(cluster.bootstrapServers))
        for index in 0..<10 { try producer.enqueue(KafkaProducerMessage(topic: topic, key: nil, value: "\(index)")) }
        try await producer.flush(timeout: .seconds(10))

        let partition = KafkaTopicPartition(topic: topic, partition: 0)
        let first = try KafkaConsumer(
            configuration: KafkaTestSupport.configuration(cluster.bootstrapServers, group: group))
        try first.subscribe(topics: [topic])
        let firstRead = try await KafkaTestSupport.consume(first, count: 10)
        #expect(firstRead.map(\.offset) == Array(0..<10))
        // Processed offsets 0...5: the next offset to read is 6.
        try await first.commit([partition: 6])
        #expect(try await first.committedOffsets(for: [partition]) == [partition: .at(6)])
        try await first.close()

        let second = try KafkaConsumer(
            configuration: KafkaTestSupport.configuration(cluster.bootstrapServers, group: group))
        try second.subscribe(topics: [topic])
        let secondRead = try await KafkaTestSupport.consume(second, count: 4)
        #expect(secondRead.map(\.offset) == [6, 7, 8, 9])
        #expect(secondRead.map(\.value) == ["6", "7", "8", "9"].map { Optional(KafkaTestSupport.bytes($0)) })
        try await second.close()
    }
}
