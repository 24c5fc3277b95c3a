/// Creates and describes topics.
///
/// Every request runs on a Dispatch thread and waits for the cluster's answer, up to the timeout.
///
///     let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: brokers))
///     try await admin.createTopics(
///         [KafkaTopicSpecification(name: "bars-changelog", partitions: 6, configs: ["cleanup.policy": "compact"])],
///         ifNotExists: true)
public final class KafkaAdmin: Sendable {
    private let client: RdKafkaClient
    private let blocking: BlockingCalls

    /// Makes the admin client; throws ``KafkaError`` naming the property if librdkafka rejects the configuration.
    public init(configuration: KafkaConfiguration) throws(KafkaError) {
        client = try RdKafkaClient(.producer, config: RdKafkaConfig(configuration))
        blocking = BlockingCalls(label: "streamkit.kafka.admin.\(client.name)")
    }

    /// Creates the topics.
    ///
    /// - Parameter ifNotExists: When `true`, a topic that already exists is not an error (its partitions and
    ///   configs are left as they are).
    /// - Throws: The first per-topic ``KafkaError`` (e.g. ``KafkaError/Code/topicAlreadyExists``, an invalid
    ///   replication factor), or one for the request as a whole.
    public func createTopics(
        _ topics: [KafkaTopicSpecification], ifNotExists: Bool = false, timeout: Duration = .seconds(30)
    ) async throws(KafkaError) {
        let client = client
        let errors = try await blocking.run { () throws(KafkaError) in
            try client.createTopics(topics, timeoutMs: timeout.rdKafkaTimeout)
        }
        for case let error? in errors where !(ifNotExists && error.code == .topicAlreadyExists) { throw error }
    }

    /// Describes every topic the cluster knows, sorted by name (internal topics included).
    public func listTopics(timeout: Duration = .seconds(10)) async throws(KafkaError) -> [KafkaTopicMetadata] {
        let client = client
        let topics = try await blocking.run { () throws(KafkaError) in
            try client.topicMetadata(timeoutMs: timeout.rdKafkaTimeout)
        }
        return topics.sorted { $0.name < $1.name }
    }

    /// Describes one topic, or returns `nil` if the cluster does not know it.
    public func describeTopic(_ name: String, timeout: Duration = .seconds(10)) async throws(KafkaError)
        -> KafkaTopicMetadata?
    {
        try await listTopics(timeout: timeout).first { $0.name == name }
    }
}
