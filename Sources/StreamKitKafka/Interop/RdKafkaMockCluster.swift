internal import CRdKafka

/// Owns one `rd_kafka_mock_cluster_t` and the `rd_kafka_t` it runs on; the cluster is destroyed in `deinit`,
/// before the client it retains.
///
/// `@unchecked Sendable`: the handle never changes; librdkafka's mock API posts every change to the cluster's
/// own thread, so it may be called from any thread.
final class RdKafkaMockCluster: @unchecked Sendable {
    private let client: RdKafkaClient
    private let cluster: OpaquePointer
    let bootstrapServers: String

    init(brokers: Int) throws(KafkaError) {
        // A producer with no brokers of its own: it only hosts the mock cluster's thread. Its notice that it has
        // no brokers is expected, so only warnings and errors are logged.
        var host = KafkaConfiguration(bootstrapServers: "")
        host.properties["log_level"] = "4"
        client = try RdKafkaClient(.producer, config: RdKafkaConfig(host))
        guard let cluster = client.withHandle({ rd_kafka_mock_cluster_new($0, Int32(clamping: brokers)) }) else {
            throw KafkaError(code: .invalidArgument, reason: "rd_kafka_mock_cluster_new failed for \(brokers) brokers")
        }
        self.cluster = cluster
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit { rd_kafka_mock_cluster_destroy(cluster) }

    func createTopic(_ name: String, partitions: Int, replicationFactor: Int) throws(KafkaError) {
        try RdKafkaErrors.check(
            rd_kafka_mock_topic_create(cluster, name, Int32(clamping: partitions), Int32(clamping: replicationFactor)),
            "create mock topic \(name)")
    }

    func setBroker(_ id: Int, up: Bool) throws(KafkaError) {
        let err =
            up ? rd_kafka_mock_broker_set_up(cluster, Int32(id)) : rd_kafka_mock_broker_set_down(cluster, Int32(id))
        try RdKafkaErrors.check(err, "broker \(id) \(up ? "up" : "down")")
    }

    func pushRequestErrors(apiKey: Int16, codes: [Int32]) {
        let errors = codes.map { rd_kafka_resp_err_t(rawValue: $0) }
        rd_kafka_mock_push_request_errors_array(cluster, apiKey, errors.count, errors)
    }

    func clearRequestErrors(apiKey: Int16) {
        rd_kafka_mock_clear_request_errors(cluster, apiKey)
    }

    func setPartitionLeader(topic: String, partition: Int, broker: Int) throws(KafkaError) {
        try RdKafkaErrors.check(
            rd_kafka_mock_partition_set_leader(cluster, topic, Int32(partition), Int32(broker)), "set leader")
    }
}
