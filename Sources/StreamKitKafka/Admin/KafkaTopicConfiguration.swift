/// A topic's configuration as the cluster describes it (DescribeConfigs): every setting's effective value, and
/// where it comes from.
///
///     let configuration = try await admin.describeTopicConfigurations(["orders"])["orders"]
///     configuration?["retention.ms"]   // "604800000" unless set on the topic
public struct KafkaTopicConfiguration: Hashable, Sendable {
    /// One setting.
    public struct Entry: Hashable, Sendable {
        /// The effective value; `nil` for a sensitive setting (the broker does not send it).
        public var value: String?
        /// Whether the value is the broker's default rather than set on the topic.
        public var isDefault: Bool
        /// Whether the setting cannot be changed.
        public var isReadOnly: Bool
        /// Whether the value is sensitive (a password): then it is never sent.
        public var isSensitive: Bool

        /// Describes one setting.
        public init(value: String?, isDefault: Bool, isReadOnly: Bool = false, isSensitive: Bool = false) {
            self.value = value
            self.isDefault = isDefault
            self.isReadOnly = isReadOnly
            self.isSensitive = isSensitive
        }
    }

    /// The topic name.
    public var topic: String
    /// Every setting the broker reported, by name (`retention.ms`, `cleanup.policy`…).
    public var entries: [String: Entry]

    /// Describes a topic's configuration.
    public init(topic: String, entries: [String: Entry]) {
        self.topic = topic
        self.entries = entries
    }

    /// The effective value of a setting, or `nil` when it was not reported or is sensitive.
    public subscript(name: String) -> String? { entries[name]?.value }

    /// The effective values, by setting name (sensitive ones left out).
    public var values: [String: String] { entries.compactMapValues(\.value) }
}
