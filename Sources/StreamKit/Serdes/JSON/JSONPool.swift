import Synchronization

/// Something a ``JSONPool`` keeps between calls: it forgets the last call's data when put back.
protocol JSONPoolable: AnyObject, Sendable {
    func reset()
}

/// Readers or writing states ready for reuse, so a coding call allocates no tape, scratch or stack buffers.
final class JSONPool<Item: JSONPoolable>: Sendable {
    private let make: @Sendable () -> Item
    private let idle = Mutex<[Item]>([])
    /// Enough for the coding threads of one process; beyond it, extra items are simply released.
    private static var maxIdle: Int { 8 }

    init(make: @escaping @Sendable () -> Item) { self.make = make }

    func take() -> Item { idle.withLock { $0.popLast() } ?? make() }

    func recycle(_ item: Item) {
        item.reset()
        idle.withLock { items in
            if items.count < Self.maxIdle { items.append(item) }
        }
    }
}
