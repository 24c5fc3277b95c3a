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
    /// - Parameters:
    ///   - topics: The topics to create, with partitions, replication and configs.
    ///   - ifNotExists: When `true`, a topic that already exists is not an error (its partitions and configs are
    ///     left as they are).
    ///   - timeout: How long the cluster may take to create them.
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

    /// Describes the configurations of topics (DescribeConfigs): every setting's effective value, defaults
    /// included. Topics the cluster does not know are left out of the result.
    ///
    /// - Throws: ``KafkaError`` for the request (a broker without DescribeConfigs, such as librdkafka's mock
    ///   cluster, answers `_UNSUPPORTED_FEATURE` or `UNSUPPORTED_VERSION`), or the first per-topic error other
    ///   than an unknown topic (e.g. `TOPIC_AUTHORIZATION_FAILED`).
    public func describeTopicConfigurations(_ topics: [String], timeout: Duration = .seconds(10))
        async throws(KafkaError) -> [String: KafkaTopicConfiguration]
    {
        guard !topics.isEmpty else { return [:] }
        let client = client
        let results = try await blocking.run { () throws(KafkaError) in
            try client.describeTopicConfigurations(topics, timeoutMs: timeout.rdKafkaTimeout)
        }
        var configurations: [String: KafkaTopicConfiguration] = [:]
        for name in topics {
            switch results[name] {
            case .success(let configuration): configurations[name] = configuration
            case .failure(let error) where error.code != .unknownTopicOrPartition: throw error
            case .failure, nil: continue
            }
        }
        return configurations
    }

    /// Deletes the records of each partition below its offset (DeleteRecords), as Kafka Streams purges consumed
    /// repartition records; returns each partition's low watermark afterwards. `KafkaOffset.end.rawValue` deletes
    /// everything up to the high watermark.
    ///
    /// - Throws: The first per-partition ``KafkaError`` (e.g. `OFFSET_OUT_OF_RANGE` for an offset past the high
    ///   watermark, ``KafkaError/Code/unknownTopicOrPartition``), or one for the request as a whole.
    @discardableResult
    public func deleteRecords(before offsets: [KafkaTopicPartition: Int64], timeout: Duration = .seconds(30))
        async throws(KafkaError) -> [KafkaTopicPartition: Int64]
    {
        guard !offsets.isEmpty else { return [:] }
        let client = client
        let entries = try await blocking.run { () throws(KafkaError) in
            try client.deleteRecords(before: offsets, timeoutMs: timeout.rdKafkaTimeout)
        }
        if let error = entries.lazy.compactMap(\.error).first { throw error }
        return Dictionary(entries.map { ($0.topicPartition, $0.offset) }) { _, last in last }
    }
}
