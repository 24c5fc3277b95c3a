/// An existing topic as the broker describes it, to be checked against the app's spec for it.
package struct ExistingTopic: Hashable, Sendable {
    /// Its partition count.
    package var partitions: Int
    /// Its effective configs (defaults included), or `nil` when the broker cannot describe them (the embedded
    /// cluster): then only the partition count is checked.
    package var configs: [String: String]?

    /// Describes an existing topic.
    package init(partitions: Int, configs: [String: String]?) {
        self.partitions = partitions
        self.configs = configs
    }
}

extension TopicSpec {
    /// Throws ``StreamAppError/Code/configuration`` when an existing internal topic (repartition, changelog,
    /// metadata) among `specs` could lose or misroute data: the message names each topic, the setting and the fix.
    ///
    /// Brokers call it from `createTopics`, before creating anything; specs without an ``internalRole`` and topics
    /// missing from `existing` (about to be created) are not checked.
    package static func checkInternalTopics(_ specs: [TopicSpec], existing: [String: ExistingTopic])
        throws(StreamAppError)
    {
        let problems = specs.flatMap { spec in existing[spec.name].map { spec.problems(with: $0) } ?? [] }
        guard problems.isEmpty else { throw .configuration(problems.joined(separator: "; ")) }
    }

    /// What could lose or misroute data if the app used `existing`, a topic of this spec's name, as its internal
    /// topic: one clause per problem, naming the setting and the fix. Empty for a user's topic.
    package func problems(with existing: ExistingTopic) -> [String] {
        guard let role = internalRole else { return [] }
        var problems = partitionProblems(role, existing.partitions)
        if let configs = existing.configs {
            problems += configProblems(role, configs)
        }
        return problems
    }

    private func partitionProblems(_ role: InternalTopicRole, _ found: Int) -> [String] {
        switch role {
        case .repartition where found != partitions:
            return [
                "\(role.title) '\(name)' has \(Self.partitionCount(found)), the app expects \(partitions) (its widest input, or "
                    + "`repartitionPartitions`): keys would reach other partitions than the tasks holding their state; "
                    + "delete the topic while no instance of the app runs, so that the app creates it again "
                    + "(kafka-topics --bootstrap-server <brokers> --delete --topic \(name); records not yet read from "
                    + "it are lost), or set `repartitionPartitions: \(found)`"
            ]
        case .changelog where found < partitions, .metadata where found < partitions:
            return [
                "\(role.title) '\(name)' has \(Self.partitionCount(found)), fewer than the app's \(partitions) input partitions "
                    + "(partition p holds the state of input partition p): add partitions (kafka-topics "
                    + "--bootstrap-server <brokers> --alter --topic \(name) --partitions \(partitions))"
            ]
        default:
            return []
        }
    }

    private func configProblems(_ role: InternalTopicRole, _ configs: [String: String]) -> [String] {
        let policies = Set(
            (configs["cleanup.policy"] ?? "delete").split(separator: ",").map {
                String($0.filter { !$0.isWhitespace }).lowercased()
            })
        let retention = configs["retention.ms"] ?? "-1"
        let isRetainedForever = (Int64(retention) ?? 0) < 0
        var problems: [String] = []
        switch role {
        case .repartition:
            if !isRetainedForever, policies.contains("delete") {
                problems.append(
                    "\(role.title) '\(name)' has retention.ms=\(retention): records keep their event time as "
                        + "timestamp, so time retention deletes replayed history before it is read; set retention.ms=-1 "
                        + "(\(Self.alterCommand(name, "retention.ms=-1"))) or delete the topic")
            }
            if let bytes = configs["retention.bytes"], (Int64(bytes) ?? 0) >= 0 {
                problems.append(
                    "\(role.title) '\(name)' has retention.bytes=\(bytes): size retention deletes records before they "
                        + "are read; set retention.bytes=-1 (\(Self.alterCommand(name, "retention.bytes=-1")))")
            }
            if policies.contains("compact") {
                problems.append(
                    "\(role.title) '\(name)' has cleanup.policy=\(policies.sorted().joined(separator: ",")): "
                        + "compaction keeps only the last record per key, so records not yet read are lost; set "
                        + "cleanup.policy=delete (\(Self.alterCommand(name, "cleanup.policy=delete")))")
            }
        case .changelog, .metadata:
            let what = role == .changelog ? "a restore would miss state" : "the state fingerprint would be lost"
            if !policies.contains("compact") {
                problems.append(
                    "\(role.title) '\(name)' has cleanup.policy=\(policies.sorted().joined(separator: ",")), not "
                        + "compact: the broker deletes records by age or size, so \(what); set cleanup.policy=compact "
                        + "(\(Self.alterCommand(name, "cleanup.policy=compact")))")
            } else if policies.contains("delete"), !isRetainedForever {
                problems.append(
                    "\(role.title) '\(name)' has cleanup.policy=compact,delete with retention.ms=\(retention): the "
                        + "broker deletes records older than that, so \(what); set cleanup.policy=compact "
                        + "(\(Self.alterCommand(name, "cleanup.policy=compact")))")
            }
        }
        return problems
    }

    private static func partitionCount(_ count: Int) -> String { count == 1 ? "1 partition" : "\(count) partitions" }

    /// The `kafka-configs` command that sets `setting` on `topic`.
    private static func alterCommand(_ topic: String, _ setting: String) -> String {
        "kafka-configs --bootstrap-server <brokers> --alter --entity-type topics --entity-name \(topic) "
            + "--add-config \(setting)"
    }
}
