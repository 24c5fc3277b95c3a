/// A topic to create: name, partition count, replication factor and topic configuration.
public struct KafkaTopicSpecification: Hashable, Sendable {
    /// The topic name.
    public var name: String
    /// The number of partitions.
    public var partitions: Int
    /// Copies of each partition; `-1` for the broker's `default.replication.factor`.
    public var replicationFactor: Int
    /// Topic configuration, e.g. `["cleanup.policy": "compact"]` for a changelog.
    public var configs: [String: String]

    /// Describes a topic to create.
    public init(name: String, partitions: Int, replicationFactor: Int = -1, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// A topic as the cluster's metadata describes it.
public struct KafkaTopicMetadata: Hashable, Sendable {
    /// One partition's leader and replicas.
    public struct Partition: Hashable, Sendable {
        /// The partition number.
        public var id: Int
        /// The broker id of the leader (-1 when there is none).
        public var leader: Int
        /// The broker ids holding a replica.
        public var replicas: [Int]
        /// The broker ids of the in-sync replicas.
        public var inSyncReplicas: [Int]
    }

    /// The topic name.
    public var name: String
    /// The partitions, sorted by id.
    public var partitions: [Partition]
}
