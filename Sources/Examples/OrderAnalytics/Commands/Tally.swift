import Synchronization

/// A count shared between a pipeline's `peek` and the command that waits for it.
final class Tally: Sendable {
    private let count = Atomic<Int>(0)

    func increment() { count.add(1, ordering: .relaxed) }

    var value: Int { count.load(ordering: .relaxed) }
}
