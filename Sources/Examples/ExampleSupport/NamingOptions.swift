import ArgumentParser

#if canImport(Glibc)
    import Glibc
#endif

/// `--topic-prefix` and `--app-id`: run an example beside others on the same cluster (tests, staging) without
/// sharing topics, consumer groups or state.
package struct NamingOptions: ParsableArguments, Sendable {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Text put in front of every topic name the example reads or writes (e.g. 'staging.').",
            valueName: "prefix"))
    package var topicPrefix = ""

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The application id: consumer group and prefix of the internal topics.",
            discussion: "Default: the example's or stage's own name.", valueName: "id"))
    package var appID: String?

    @Option(
        name: .customLong("instance-id"),
        help: ArgumentHelp(
            "This instance's id among the running instances of the app (default: $STREAMKIT_INSTANCE_ID, else new per process).",
            discussion:
                "Under exactly-once the transactional id is '<app-id>-<instance-id>'. Give each running instance its own, "
                + "stable across its restarts (a pod or host name), so a restart fences its predecessor at once.",
            valueName: "id"))
    package var instanceIDOption: String?

    /// `--instance-id`, else `$STREAMKIT_INSTANCE_ID`.
    package var instanceID: String? { instanceIDOption ?? environmentValue("STREAMKIT_INSTANCE_ID") }

    package init() {}

    package mutating func validate() throws {
        if !topicPrefix.isEmpty, !Self.isTopicName(topicPrefix) {
            throw ValidationError("--topic-prefix '\(topicPrefix)' may only hold a–z, A–Z, 0–9, '.', '_' and '-'")
        }
        if let appID, appID.isEmpty || !Self.isTopicName(appID) {
            throw ValidationError("--app-id '\(appID)' must be 1–200 of a–z, A–Z, 0–9, '.', '_' and '-'")
        }
        if let instanceID, instanceID.isEmpty || !Self.isTopicName(instanceID) {
            throw ValidationError("--instance-id '\(instanceID)' must be 1–200 of a–z, A–Z, 0–9, '.', '_' and '-'")
        }
    }

    /// `base` with the prefix in front.
    package func topic(_ base: String) -> String { topicPrefix + base }

    /// `--app-id`, or `base` when it is not given.
    package func appName(default base: String) -> String { appID ?? base }

    /// Whether `name` uses only the characters Kafka allows in topic names, within its length limit.
    private static func isTopicName(_ name: String) -> Bool {
        name.count <= 200
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || "0123456789._-".unicodeScalars.contains($0))
            }
    }
}

/// The value of an environment variable, when set and not empty.
private func environmentValue(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    let text = String(cString: value)
    return text.isEmpty ? nil : text
}
