import StreamKit
import Synchronization

/// A sink that counts the values it is given and keeps the newest ones until the printer takes them.
final class LiveFeed<Value: Sendable>: StreamSink {
    private let state = Mutex<(count: Int, fresh: [Value])>((0, []))
    /// How many untaken values are kept; older ones are dropped (but counted) when nobody takes them.
    let capacity: Int

    init(keeping capacity: Int) {
        self.capacity = capacity
    }

    func append(_ value: Value, context: SinkContext) throws {
        state.withLock { state in
            state.count += 1
            guard capacity > 0 else { return }
            state.fresh.append(value)
            // Dropping in bulk keeps appends amortised O(1).
            if state.fresh.count >= 2 * capacity { state.fresh.removeFirst(state.fresh.count - capacity) }
        }
    }

    func flush(checkpoint: SinkCheckpoint) async throws {}

    /// Values appended so far.
    var count: Int { state.withLock { $0.count } }

    /// The values appended since the last call (at most about `capacity`), oldest first.
    func takeFresh() -> [Value] {
        state.withLock { state in
            defer { state.fresh.removeAll() }
            return Array(state.fresh.suffix(capacity))
        }
    }
}
