/// A description of a built pipeline: its operators, state stores and topics, as text or Mermaid, and a
/// fingerprint of its state layout.
///
///     print(app.describe().text)
///     print(app.describe().mermaid)   // paste into any Mermaid renderer
public struct PipelineDescription: Sendable, CustomStringConvertible {
    /// One operator.
    public struct Operator: Hashable, Sendable {
        /// Its position in build order.
        public var id: Int
        /// Its kind (`filter`, `tumbling-window`, `to`…).
        public var kind: String
        /// Its name or parameters.
        public var label: String
        /// The operators it reads from.
        public var inputs: [Int]
        /// The topic it reads or writes, for sources and `to`.
        public var topic: String?
    }

    /// One topic and what it is to the app (`input`, `output`, `changelog`, `repartition`…).
    public struct TopicEntry: Hashable, Sendable {
        /// The topic name.
        public var name: String
        /// Its partition count (as created by the app).
        public var partitions: Int
        /// What it is to the app: `input`, `output`, `changelog`, `repartition`, `dead-letter`, `metadata`.
        public var roles: [String]
    }

    /// The app's name.
    public let app: String
    /// The operators in build order.
    public let operators: [Operator]
    /// The state stores.
    public let stores: [StoreDescription]
    /// The topics.
    public let topics: [TopicEntry]

    init(app: String, graph: StreamGraph) {
        self.app = app
        operators = graph.nodes.map {
            Operator(id: $0.id, kind: $0.kind, label: $0.label, inputs: $0.inputs, topic: $0.topic)
        }
        stores = graph.stores
        topics = graph.topicSpecs.map { spec in
            TopicEntry(
                name: spec.name, partitions: spec.partitions,
                roles: (graph.topics[spec.name]?.roles ?? []).sorted().map(\.rawValue))
        }
    }

    /// A stable hash of the state layout: store names, kinds, key and state types, window sizes.
    ///
    /// The runtime stores it beside the state and refuses to start when it changed, since saved state
    /// written with another layout would be misread.
    public var stateFingerprint: String {
        let layout = stores.map { "\($0.name)|\($0.kind)|\($0.layout)" }.joined(separator: "\n")
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in layout.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// A readable listing.
    public var text: String {
        var lines = ["app \(app)", "operators:"]
        for op in operators {
            let from = op.inputs.isEmpty ? "" : " <- " + op.inputs.map { "#\($0)" }.joined(separator: ", ")
            let detail = [op.label, op.topic.map { "topic \($0)" }].compactMap { $0?.isEmpty == false ? $0 : nil }
            lines.append(
                "  #\(op.id) \(op.kind)\(detail.isEmpty ? "" : " (" + detail.joined(separator: "; ") + ")")\(from)")
        }
        lines.append("stores:")
        lines += stores.map { "  \($0.name) [\($0.kind)] \($0.layout)" }
        lines.append("topics:")
        lines += topics.map { "  \($0.name) ×\($0.partitions) [\($0.roles.joined(separator: ", "))]" }
        lines.append("state fingerprint \(stateFingerprint)")
        return lines.joined(separator: "\n")
    }

    /// A Mermaid flowchart of the operators.
    public var mermaid: String {
        var lines = ["flowchart LR"]
        for op in operators {
            let title = ([op.kind] + [op.topic ?? op.label].filter { !$0.isEmpty }).joined(separator: ": ")
            let escaped = title.replacingOccurrences(of: "\"", with: "'")
            lines.append(
                op.kind == "source" || op.kind == "to" ? "  n\(op.id)[(\"\(escaped)\")]" : "  n\(op.id)[\"\(escaped)\"]"
            )
            for input in op.inputs { lines.append("  n\(input) --> n\(op.id)") }
        }
        return lines.joined(separator: "\n")
    }

    public var description: String { text }
}
