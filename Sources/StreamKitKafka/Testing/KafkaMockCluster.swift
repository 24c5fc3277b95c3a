/// An in-process Kafka cluster: librdkafka's mock cluster, listening on loopback, with fault injection.
///
/// Clients connect to ``bootstrapServers`` like to any cluster. It needs no broker, so it serves tests and the
/// `.embedded` broker. Topics are created on first use with the cluster's defaults, or explicitly with
/// ``createTopic(_:partitions:replicationFactor:)``. Data lives in memory and is gone when the cluster is
/// released; release clients first.
///
///     let cluster = try KafkaMockCluster(brokers: 3)
///     try cluster.createTopic("ticks", partitions: 4)
///     let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers))
///     try cluster.setBrokerDown(1)                                  // fault injection
///     cluster.pushRequestErrors(.produce, [.notLeaderForPartition])
///
/// Limits of librdkafka 2.0.2's mock: it accepts transactions but does not hide aborted records from
/// `read_committed` consumers; topic configs passed through the admin API are not enforced (no compaction).
public final class KafkaMockCluster: Sendable {
    private let cluster: RdKafkaMockCluster

    /// Starts a cluster with `brokers` brokers, numbered 1 through `brokers`.
    /// - Throws: ``KafkaError`` if librdkafka cannot start it (e.g. no free port).
    public init(brokers: Int = 3) throws(KafkaError) {
        cluster = try RdKafkaMockCluster(brokers: brokers)
    }

    /// The cluster's `host:port` list, for ``KafkaConfiguration/bootstrapServers``.
    public var bootstrapServers: String { cluster.bootstrapServers }

    /// Creates a topic with partition leaders spread over the brokers.
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws(KafkaError) {
        try cluster.createTopic(name, partitions: partitions, replicationFactor: replicationFactor)
    }

    /// Makes a broker refuse connections and drop existing ones, as if it had crashed.
    public func setBrokerDown(_ brokerID: Int) throws(KafkaError) {
        try cluster.setBroker(brokerID, up: false)
    }

    /// Makes a broker accept connections again.
    public func setBrokerUp(_ brokerID: Int) throws(KafkaError) {
        try cluster.setBroker(brokerID, up: true)
    }

    /// Makes the partition's leader a given broker.
    public func setPartitionLeader(topic: String, partition: Int, brokerID: Int) throws(KafkaError) {
        try cluster.setPartitionLeader(topic: topic, partition: partition, broker: brokerID)
    }

    /// Makes the next requests of one kind fail, one error code per request, in order, on whichever broker
    /// receives them.
    public func pushRequestErrors(_ request: KafkaRequestType, _ errors: [KafkaError.Code]) {
        cluster.pushRequestErrors(apiKey: request.apiKey, codes: errors.map(\.rawValue))
    }

    /// Forgets the errors still queued for one kind of request.
    public func clearRequestErrors(_ request: KafkaRequestType) {
        cluster.clearRequestErrors(apiKey: request.apiKey)
    }
}

/// A Kafka protocol request type (its API key), for fault injection on ``KafkaMockCluster``.
public struct KafkaRequestType: Hashable, Sendable {
    /// The Kafka protocol API key.
    public var apiKey: Int16

    /// Wraps a Kafka protocol API key.
    public init(apiKey: Int16) { self.apiKey = apiKey }

    /// Produce (0).
    public static let produce = KafkaRequestType(apiKey: 0)
    /// Fetch (1).
    public static let fetch = KafkaRequestType(apiKey: 1)
    /// ListOffsets (2).
    public static let listOffsets = KafkaRequestType(apiKey: 2)
    /// Metadata (3).
    public static let metadata = KafkaRequestType(apiKey: 3)
    /// OffsetCommit (8).
    public static let offsetCommit = KafkaRequestType(apiKey: 8)
    /// OffsetFetch (9).
    public static let offsetFetch = KafkaRequestType(apiKey: 9)
    /// FindCoordinator (10).
    public static let findCoordinator = KafkaRequestType(apiKey: 10)
    /// JoinGroup (11).
    public static let joinGroup = KafkaRequestType(apiKey: 11)
    /// Heartbeat (12).
    public static let heartbeat = KafkaRequestType(apiKey: 12)
    /// SyncGroup (14).
    public static let syncGroup = KafkaRequestType(apiKey: 14)
    /// InitProducerId (22).
    public static let initProducerID = KafkaRequestType(apiKey: 22)
    /// AddPartitionsToTxn (24).
    public static let addPartitionsToTransaction = KafkaRequestType(apiKey: 24)
    /// AddOffsetsToTxn (25).
    public static let addOffsetsToTransaction = KafkaRequestType(apiKey: 25)
    /// EndTxn (26).
    public static let endTransaction = KafkaRequestType(apiKey: 26)
    /// TxnOffsetCommit (28).
    public static let transactionOffsetCommit = KafkaRequestType(apiKey: 28)
}
