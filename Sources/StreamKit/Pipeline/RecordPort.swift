/// The typed output of one operator, to which downstream operators subscribe.
///
/// The DSL only records subscriptions; `compile(in:)` turns them into a chain of plain closures for one
/// partition task when the task starts. A port compiles once per task (memoised in the context), so a
/// frame used by two branches, or two inputs merged into one, share a single downstream instance and
/// its state.
@usableFromInline
final class RecordPort<Key, Value> {
    @inlinable
    init() {}

    @usableFromInline
    typealias Push = (StreamRecord<Key, Value>) throws -> Void

    @usableFromInline
    var subscribers: [(PartitionContext) -> Push] = []

    /// Whether any stage reads this port.
    @inlinable
    var hasSubscribers: Bool { !subscribers.isEmpty }

    /// Adds a downstream stage factory.
    @inlinable
    func subscribe(_ makeStage: @escaping (PartitionContext) -> Push) {
        subscribers.append(makeStage)
    }

    /// The push function that feeds every subscriber, built once per task.
    @inlinable
    func compile(in context: PartitionContext) -> Push {
        let id = ObjectIdentifier(self)
        if let compiled = context.compiledPorts[id] {
            // Only this port stores under its own identity, always a `Push` of its own types.
            return compiled as! Push
        }
        let pushes = subscribers.map { $0(context) }
        let push: Push
        switch pushes.count {
        case 0: push = { _ in }
        case 1: push = pushes[0]
        case 2:
            let (first, second) = (pushes[0], pushes[1])
            push = { record in
                try first(record)
                try second(record)
            }
        default:
            push = { record in for next in pushes { try next(record) } }
        }
        context.compiledPorts[id] = push
        return push
    }
}
