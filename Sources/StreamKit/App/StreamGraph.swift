/// The app's pipeline as built by the DSL: nodes, topics, stores, sources and sinks.
///
/// Building is single-threaded (the DSL runs before `run()`); the graph is read-only afterwards.
@usableFromInline
final class StreamGraph {
    private(set) var nodes: [GraphNode] = []
    private(set) var topics: [String: TopicUse] = [:]
    private(set) var topicOrder: [String] = []
    private(set) var sources: [String: any SourceRoot] = [:]
    private(set) var sinks: [any AnySinkFlusher] = []
    private(set) var asyncSources: [any AsyncSourceRoot] = []
    private var nameCounters: [String: Int] = [:]
    /// Topic names declared twice with different specs, as messages; see ``use(_:as:)``.
    private(set) var conflicts: [String] = []

    /// Adds an operator node; returns its id.
    @usableFromInline
    func addNode(kind: String, label: String, inputs: [Int], store: StoreDescription?, topic: String? = nil) -> Int {
        nodes.append(GraphNode(id: nodes.count, kind: kind, label: label, inputs: inputs, store: store, topic: topic))
        return nodes.count - 1
    }

    /// A default name for the next stateful operator of a kind (`tumbling-window-0`…), stable across runs
    /// as long as the pipeline is built in the same order.
    @usableFromInline
    func nextName(for kind: String) -> String {
        let index = nameCounters[kind, default: 0]
        nameCounters[kind] = index + 1
        return "\(kind)-\(index)"
    }

    /// Records that a topic is used in a role. A dead-letter use (from `.deadLetter("name")`) implies a one-partition
    /// topic that a declaration of the same name overrides; two declarations of one name with different specs are
    /// kept in ``conflicts``, which the app reports before it starts (``checkTopicDeclarations()``).
    @usableFromInline
    func use(_ spec: TopicSpec, as role: TopicRole) {
        guard var existing = topics[spec.name] else {
            topics[spec.name] = TopicUse(spec: spec, roles: [role])
            topicOrder.append(spec.name)
            return
        }
        if role == .deadLetter {
            // Implied: whatever spec the topic has stands.
        } else if existing.roles == [.deadLetter] {
            existing.spec = spec
        } else if existing.spec != spec {
            conflicts.append(
                "topic '\(spec.name)' is declared twice with different settings (\(existing.spec.settings) and "
                    + "\(spec.settings)): declare it once with app.topic(...) and use that value everywhere")
        }
        existing.roles.insert(role)
        topics[spec.name] = existing
    }

    /// Throws the first conflicting pair of topic declarations, if the pipeline has any.
    func checkTopicDeclarations() throws(StreamAppError) {
        if let conflict = conflicts.first { throw .configuration(conflict) }
    }

    /// The source root of an input topic, made on first use.
    @usableFromInline
    func source<Key, Value>(
        for topic: Topic<Key, Value>, make: () -> TopicSource<Key, Value>
    ) -> TopicSource<Key, Value> {
        if let existing = sources[topic.name] {
            guard let typed = existing as? TopicSource<Key, Value> else {
                preconditionFailure("topic '\(topic.name)' is read with two different key/value types")
            }
            return typed
        }
        let source = make()
        sources[topic.name] = source
        return source
    }

    @usableFromInline
    func addAsyncSource(_ source: any AsyncSourceRoot) {
        asyncSources.append(source)
    }

    @usableFromInline
    func addSink(_ sink: any AnySinkFlusher) {
        if !sinks.contains(where: { $0.identity == sink.identity }) { sinks.append(sink) }
    }

    /// Specs of every topic the app needs, in declaration order. Changelogs get as many partitions as the
    /// widest input, since partition `p` of a changelog holds the state of task `p`. The app's own topics carry
    /// their ``InternalTopicRole`` and its configs (repartition topics `retention.ms=-1`, changelogs compacted),
    /// so that the broker checks existing ones at start.
    var topicSpecs: [TopicSpec] {
        let width = widestInput
        return topicOrder.compactMap { name in
            guard var use = topics[name] else { return nil }
            if use.roles.contains(.changelog) {
                use.spec.partitions = width
                return use.spec.asInternal(.changelog)
            }
            return use.roles.contains(.repartition) ? use.spec.asInternal(.repartition) : use.spec
        }
    }

    /// Names of the topics the app consumes.
    var inputTopics: [String] { topicOrder.filter { sources[$0] != nil } }

    /// The stores of the pipeline, in build order.
    var stores: [StoreDescription] { nodes.compactMap(\.store) }
}

/// One node of the pipeline graph.
struct GraphNode {
    var id: Int
    var kind: String
    var label: String
    var inputs: [Int]
    var store: StoreDescription?
    var topic: String?
}

/// What a topic is to the app.
@usableFromInline
enum TopicRole: String, Hashable, Comparable {
    case input, output, repartition, changelog, deadLetter = "dead-letter", metadata
    @usableFromInline
    static func < (lhs: TopicRole, rhs: TopicRole) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension TopicSpec {
    /// The partitions, replication and configs, for messages about conflicting declarations.
    var settings: String {
        let configs = configs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        let replication = replicationFactor.map { ", replication \($0)" } ?? ""
        return
            "\(partitions) partition\(partitions == 1 ? "" : "s")\(replication)\(configs.isEmpty ? "" : ", \(configs)")"
    }
}

/// A topic and the roles it plays.
struct TopicUse {
    var spec: TopicSpec
    var roles: Set<TopicRole>
}

/// A stateful operator's store, as the description and the fingerprint see it.
public struct StoreDescription: Hashable, Sendable {
    /// Describes a store.
    @inlinable
    public init(name: String, kind: String, layout: String) {
        self.name = name
        self.kind = kind
        self.layout = layout
    }

    /// The store's name (the operator's name); its changelog is `<app>-<name>-changelog`.
    public var name: String
    /// What kind of state it holds (`tumbling-window`, `ema`, `dedupe`…).
    public var kind: String
    /// The layout that saved state depends on: key and state types, window size and so on.
    public var layout: String
}

extension StreamGraph {
    /// Notes the topic a node reads or writes, for the description.
    @usableFromInline
    func setTopic(_ topic: String, of node: Int) {
        nodes[node].topic = topic
    }
}
