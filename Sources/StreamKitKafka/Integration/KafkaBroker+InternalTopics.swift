import Logging
import StreamKit

extension KafkaBroker {
    /// Checks the app's internal topics (repartition, changelog, metadata) that already exist before the app uses
    /// them, and throws ``StreamAppError/Code/configuration`` naming each topic, the setting and the fix when one
    /// could lose or misroute data (wrong partition count; time retention or compaction on a repartition topic; a
    /// changelog that is not compacted).
    ///
    /// Partition counts come from the cluster's metadata; configs from DescribeConfigs when `describingConfigs` is
    /// set. A cluster that does not serve DescribeConfigs, or does not let this client use it, gets the partition
    /// check only, with a warning naming what was not checked.
    static func checkInternalTopics(
        _ specs: [TopicSpec], admin: KafkaAdmin, describingConfigs: Bool, logger: Logger
    ) async throws {
        let internalSpecs = specs.filter { $0.internalRole != nil }
        guard !internalSpecs.isEmpty else { return }
        let partitionCounts = Dictionary(
            try await admin.listTopics().map { ($0.name, $0.partitions.count) }, uniquingKeysWith: { first, _ in first }
        )
        let found = internalSpecs.filter { partitionCounts[$0.name] != nil }
        guard !found.isEmpty else { return }
        var configurations: [String: KafkaTopicConfiguration]?
        if describingConfigs {
            do {
                configurations = try await admin.describeTopicConfigurations(found.map(\.name))
            } catch {
                guard Self.cannotDescribe.contains(error.code) else { throw error }
                logger.warning(
                    "cannot describe the configs of existing internal topics; checked their partition counts only",
                    metadata: ["topics": "\(found.map(\.name))", "error": "\(error)"])
            }
        }
        var existing: [String: ExistingTopic] = [:]
        for spec in found {
            existing[spec.name] = ExistingTopic(
                partitions: partitionCounts[spec.name] ?? 0,
                configs: configurations.map { $0[spec.name]?.values } ?? nil)
        }
        try TopicSpec.checkInternalTopics(found, existing: existing)
    }

    /// Answers to DescribeConfigs after which the configs are not checked rather than the app stopped: the broker
    /// does not serve the request (`_UNSUPPORTED_FEATURE`, `UNSUPPORTED_VERSION`), or the client may not use it
    /// (`TOPIC_AUTHORIZATION_FAILED`, `CLUSTER_AUTHORIZATION_FAILED`).
    private static let cannotDescribe: Set<KafkaError.Code> = [
        KafkaError.Code(rawValue: -165), KafkaError.Code(rawValue: 35), KafkaError.Code(rawValue: 29),
        KafkaError.Code(rawValue: 31),
    ]
}
