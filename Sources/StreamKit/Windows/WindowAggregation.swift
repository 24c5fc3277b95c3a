/// A windowed aggregation, from which results are taken as `final()` or `current()`.
///
/// Both outputs and the late stream share one operator and one state store, so they can all be used.
public struct WindowAggregation<Key: StreamKey, Value, Output> {
    @usableFromInline
    let app: StreamApp
    @usableFromInline
    let node: Int
    @usableFromInline
    let finalPort = RecordPort<Key, WindowResult<Key, Output>>()
    @usableFromInline
    let currentPort = RecordPort<Key, WindowResult<Key, Output>>()
    @usableFromInline
    let latePort = RecordPort<Key, LateRecord<Value>>()

    @inlinable
    init<Aggregator: StreamAggregator>(
        frame: DataFrame<Key, Value>, spec: WindowSpec, name: String?, aggregator: Aggregator
    ) where Aggregator.Input == Value, Aggregator.Output == Output {
        let app = frame.app
        let storeName = name ?? app.graph.nextName(for: spec.kind)
        let store = StoreDescription(
            name: storeName, kind: spec.kind,
            layout:
                "\(spec.size.wholeMilliseconds)/\(spec.step.wholeMilliseconds) \(Key.self) -> \(Aggregator.State.self)")
        self.app = app
        self.node = app.graph.addNode(
            kind: spec.kind, label: "\(storeName): \(spec)", inputs: [frame.node], store: store)
        app.graph.use(
            TopicSpec(name: changelogTopicName(app: app.name, store: storeName), partitions: 1, configs: compactConfig),
            as: .changelog)
        let (finalPort, currentPort, latePort) = (self.finalPort, self.currentPort, self.latePort)
        frame.port.subscribe { context in
            WindowOperator(
                name: storeName, spec: spec, aggregator: aggregator, context: context,
                final: finalPort.compile(in: context), current: currentPort.compileIfUsed(in: context),
                late: latePort.compile(in: context)
            ).push
        }
    }

    /// One result per window, when it closes.
    @inlinable
    public func final() -> DataFrame<Key, WindowResult<Key, Output>> {
        DataFrame(
            app: app, port: finalPort, node: app.graph.addNode(kind: "final", label: "", inputs: [node], store: nil))
    }

    /// A result on every update of a window: the aggregate so far.
    @inlinable
    public func current() -> DataFrame<Key, WindowResult<Key, Output>> {
        DataFrame(
            app: app, port: currentPort, node: app.graph.addNode(kind: "current", label: "", inputs: [node], store: nil)
        )
    }

    /// Records that arrived after their window closed. Unused, they are dropped and counted in
    /// `streamkit_late_records_total`; route them explicitly to keep them:
    ///
    ///     aggregation.lateRecords.map(\.value).to(lateTicks)
    @inlinable
    public var lateRecords: DataFrame<Key, LateRecord<Value>> {
        DataFrame(
            app: app, port: latePort, node: app.graph.addNode(kind: "late", label: "", inputs: [node], store: nil))
    }
}

/// Topic configs of a changelog: compacted, so it keeps the latest state per key.
@usableFromInline
let compactConfig = ["cleanup.policy": "compact"]

extension RecordPort {
    /// The compiled push, or `nil` when nothing subscribed (so the operator can skip building results).
    @inlinable
    func compileIfUsed(in context: PartitionContext) -> Push? {
        hasSubscribers ? compile(in: context) : nil
    }
}
