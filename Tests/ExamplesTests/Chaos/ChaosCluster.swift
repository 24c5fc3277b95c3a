import StreamKit
import StreamKitKafka
import StreamKitTestSupport

/// The separate-process broker as one chaos run uses it: creating its topics, producing readings, and watching
/// the group's committed offsets and the output topic.
struct ChaosCluster: Sendable {
    let brokers: String
    private let admin: KafkaAdmin
    private let broker: KafkaBroker
    private let producer: KafkaProducer

    init(brokers: String) throws {
        self.brokers = brokers
        let configuration = KafkaConfiguration(bootstrapServers: brokers)
        admin = try KafkaAdmin(configuration: configuration)
        broker = KafkaBroker(.servers(brokers))
        producer = try KafkaProducer(configuration: configuration)
    }

    /// Creates `topic` with `retention.ms=-1`: the records carry 2025 event times as their timestamps, and the
    /// development broker deletes records older than the retention at once.
    func createTopic(_ topic: String, partitions: Int) async throws {
        try await admin.createTopics([
            KafkaTopicSpecification(name: topic, partitions: partitions, configs: ["retention.ms": "-1"])
        ])
    }

    /// The partition count of `topic`, or `nil` when it does not exist (yet).
    func partitionCount(_ topic: String) async throws -> Int? {
        try await admin.describeTopic(topic)?.partitions.count
    }

    /// Produces `readings` to `topic`, keyed by sensor, timestamped with their event time, and waits for them.
    func produce(_ readings: some Collection<ChaosInput.Reading>, to topic: String) async throws {
        try await produce(readings.map { ($0, nil) }, to: topic)
    }

    /// Produces readings, each to the given partition or (`nil`) to its key's.
    func produce(_ readings: [(reading: ChaosInput.Reading, partition: Int?)], to topic: String) async throws {
        for (reading, partition) in readings {
            try producer.enqueue(
                KafkaProducerMessage(
                    topic: topic, partition: partition, key: reading.sensor, value: reading.json,
                    timestampMs: reading.tsMs))
        }
        try await producer.flush(timeout: .seconds(60))
    }

    /// The offset after the last record of each partition of `topic`.
    func endOffsets(_ topic: String, partitions: Int) async throws -> [Int: Int64] {
        try await KafkaTestSupport.endOffsets(topic, partitions: partitions, on: broker)
    }

    /// The offsets `group` committed on `topic`, per partition (0 where none).
    func committedOffsets(group: String, _ topic: String, partitions: Int) async throws -> [Int: Int64] {
        let committed = try await KafkaTestSupport.committedOffsets(
            group: group, topic: topic, partitions: partitions, on: broker)
        return Dictionary(uniqueKeysWithValues: (0..<partitions).map { ($0, committed[$0] ?? 0) })
    }

    /// Every committed record of `topic` (`read_committed`), all partitions, from the beginning to the end now.
    func readCommitted(_ topic: String) async throws -> [RawRecord] {
        try await KafkaTestSupport.readToEnd(topic, on: broker)
    }
}
