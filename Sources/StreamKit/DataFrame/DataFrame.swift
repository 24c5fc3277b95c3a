/// A typed stream of records, transformed by chaining operators; the heart of StreamKit's DSL.
///
/// A dataframe is a description: operators add nodes to the app's graph and return a new frame whose
/// types follow the chain, so a mismatch is a compile error. Nothing runs until `StreamApp.run()` (or a
/// `PipelineHarness`), which compiles the graph into a chain of plain closures per partition task.
///
///     app.dataframe(ticks)
///         .filter(\.isValid, otherwise: .deadLetter("orderbook.invalid"))
///         .map { $0.mid }
///         .to(mids)
///
/// A frame can be used more than once: each use is a branch that sees every record.
public struct DataFrame<Key: StreamKey, Value> {
    /// The app whose graph this frame belongs to.
    public let app: StreamApp
    @usableFromInline
    let port: RecordPort<Key, Value>
    @usableFromInline
    let node: Int

    @inlinable
    init(app: StreamApp, port: RecordPort<Key, Value>, node: Int) {
        self.app = app
        self.port = port
        self.node = node
    }

    /// Adds an operator node and returns the frame of its output.
    ///
    /// `makeStage` runs once per partition task and returns the per-record function, which receives
    /// the compiled push function of everything downstream.
    @inlinable
    func derive<NewKey, NewValue>(
        _ kind: String, label: String = "", store: StoreDescription? = nil,
        _ makeStage:
            @escaping (
                _ context: PartitionContext, _ next: @escaping RecordPort<NewKey, NewValue>.Push
            ) -> RecordPort<Key, Value>.Push
    ) -> DataFrame<NewKey, NewValue> {
        let output = RecordPort<NewKey, NewValue>()
        let id = app.graph.addNode(kind: kind, label: label, inputs: [node], store: store)
        port.subscribe { context in makeStage(context, output.compile(in: context)) }
        return DataFrame<NewKey, NewValue>(app: app, port: output, node: id)
    }
}

/// An operator's closure threw; carries the stage name to the error policy and dead-letter headers.
@usableFromInline
struct OperatorFailure: Error, CustomStringConvertible {
    @inlinable
    init(stage: String, underlying: any Error) {
        self.stage = stage
        self.underlying = underlying
    }

    @usableFromInline
    var stage: String
    @usableFromInline
    var underlying: any Error
    @inlinable
    var description: String { "\(stage): \(underlying)" }
}

/// Runs a user closure, tagging what it throws with the stage's name.
@inline(__always)
@inlinable
func runOperator<R>(_ stage: String, _ body: () throws -> R) throws -> R {
    do {
        return try body()
    } catch {
        throw OperatorFailure(stage: stage, underlying: error)
    }
}
