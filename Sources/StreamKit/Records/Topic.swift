/// A typed topic: its name and the formats of its keys and values.
///
/// Make topics through `StreamApp.topic(_:key:value:format:)`; the app then knows to create them,
/// describe them, and read or write them on whichever broker it runs.
///
///     let ticks = app.topic("orderbook.raw", key: String.self, value: Tick.self, format: .json)
public struct Topic<Key: StreamKey, Value>: Sendable {
    /// The topic's name on the broker.
    public let name: String
    /// The key format.
    public let keySerde: Serde<Key>
    /// The value format.
    public let valueSerde: Serde<Value>
    /// How the topic is created when it does not exist yet.
    public let spec: TopicSpec

    /// Makes a topic descriptor. Prefer `StreamApp.topic`, which also registers it.
    public init(name: String, keySerde: Serde<Key>, valueSerde: Serde<Value>, spec: TopicSpec) {
        self.name = name
        self.keySerde = keySerde
        self.valueSerde = valueSerde
        self.spec = spec
    }

    /// A stored record of this topic, decoded with its serdes (off the hot path: harness and topic reads).
    func decode(_ raw: RawRecord) throws -> StreamRecord<Key, Value> {
        StreamRecord(
            key: try keySerde.decode(raw.key ?? []), value: try valueSerde.decode(raw.value ?? []),
            timestamp: raw.timestamp, headers: raw.headers,
            position: SourcePosition(topic: raw.topic, partition: raw.partition ?? 0, offset: raw.offset))
    }
}

/// How to create a topic: partitions, replication and topic configs (such as `cleanup.policy=compact`).
public struct TopicSpec: Hashable, Sendable {
    /// The topic's name.
    public var name: String
    /// The number of partitions.
    public var partitions: Int
    /// The replication factor; `nil` uses the broker default.
    public var replicationFactor: Int?
    /// Topic-level configs, passed to the broker verbatim.
    public var configs: [String: String]
    /// What the app uses the topic for when it is one of its own (repartition, changelog, metadata): the broker
    /// checks an existing topic of that name against it at start. `nil` for the user's topics.
    package var internalRole: InternalTopicRole?

    /// Describes a topic to create.
    public init(name: String, partitions: Int, replicationFactor: Int? = nil, configs: [String: String] = [:]) {
        precondition(partitions > 0, "a topic needs at least one partition")
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}
