/// What the app uses one of its own topics for. It decides the configs the topic is created with, and what an
/// existing topic of that name must be like for the app to use it without losing or misrouting data (see
/// ``TopicSpec/problems(existingPartitions:configs:)``).
package enum InternalTopicRole: String, Hashable, Sendable {
    /// A `keyBy` topic, `<app>-<name>-repartition`. Its records keep their event time as timestamp, so it is
    /// created without time retention (`retention.ms=-1`): time retention would delete replayed history before it
    /// is read. The runtime deletes what the group has consumed instead (``StreamBroker/deleteRecords(before:)``).
    case repartition
    /// A store's changelog, `<app>-<store>-changelog`: compacted, partition `p` holding the state of input
    /// partition `p`.
    case changelog
    /// The app's metadata topic (the state fingerprint): compacted.
    case metadata

    /// The topic configs it is created with; they win over configs given in the spec.
    package var requiredConfigs: [String: String] {
        switch self {
        case .repartition: ["retention.ms": "-1", "cleanup.policy": "delete"]
        case .changelog, .metadata: ["cleanup.policy": "compact"]
        }
    }

    /// How messages name it: `repartition topic`, `changelog`, `metadata topic`.
    var title: String {
        switch self {
        case .repartition: "repartition topic"
        case .changelog: "changelog"
        case .metadata: "metadata topic"
        }
    }
}

extension TopicSpec {
    /// This spec as the app's own topic in `role`, created with the role's required configs.
    package func asInternal(_ role: InternalTopicRole) -> TopicSpec {
        var spec = self
        spec.internalRole = role
        spec.configs.merge(role.requiredConfigs) { _, required in required }
        return spec
    }
}
