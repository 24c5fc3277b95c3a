import Synchronization

/// Something a ``JSONPool`` keeps between calls: it forgets the last call's data when put back.
protocol JSONPoolable: AnyObject, Sendable {
    func reset()
}

/// Readers or writing states ready for reuse, so a coding call allocates no tape, scratch or stack buffers.
///
/// One item waits in an atomic slot, so a coder used by one task at a time, the usual case on the hot path,
/// takes and returns it without a lock; further items wait behind a mutex.
final class JSONPool<Item: JSONPoolable>: Sendable {
    private let make: @Sendable () -> Item
    /// Holds a +1 reference to its item while it is not `nil`.
    private let first = Atomic<Unmanaged<Item>?>(nil)
    private let idle = Mutex<[Item]>([])
    /// Enough for the coding threads of one process; beyond it, extra items are simply released.
    private static var maxIdle: Int { 8 }

    init(make: @escaping @Sendable () -> Item) { self.make = make }

    deinit { first.load(ordering: .acquiring)?.release() }

    func take() -> Item {
        if let item = first.exchange(nil, ordering: .acquiring) { return item.takeRetainedValue() }
        return idle.withLock { $0.popLast() } ?? make()
    }

    func recycle(_ item: Item) {
        item.reset()
        let retained = Unmanaged.passRetained(item)
        if first.compareExchange(expected: nil, desired: retained, ordering: .releasing).exchanged { return }
        retained.release()
        idle.withLock { items in
            if items.count < Self.maxIdle { items.append(item) }
        }
    }
}
