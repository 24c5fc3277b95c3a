import StreamKit

extension KafkaBroker {
    /// The partition counts of existing topics among `topics`, from the cluster's metadata (one request).
    public func partitionCounts(of topics: [String]) async throws -> [String: Int] {
        guard !topics.isEmpty else { return [:] }
        let admin = try KafkaAdmin(configuration: configuration)
        let wanted = Set(topics)
        var counts: [String: Int] = [:]
        for topic in try await admin.listTopics() where wanted.contains(topic.name) && !topic.partitions.isEmpty {
            counts[topic.name] = topic.partitions.count
        }
        return counts
    }
}
