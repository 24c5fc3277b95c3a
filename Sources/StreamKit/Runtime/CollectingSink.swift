import Synchronization

/// A sink that keeps every value in memory, in arrival order: for tests, demos and small apps.
///
///     let bars = CollectingSink<WindowResult<String, Bar>>()
///     frame.to(bars)
///     …
///     bars.values        // everything appended so far
public final class CollectingSink<Value: Sendable>: StreamSink {
    private let state = Mutex<(pending: [Value], flushed: [Value])>(([], []))

    /// Makes an empty sink.
    public init() {}

    public func append(_ value: Value, context: SinkContext) throws {
        state.withLock { $0.pending.append(value) }
    }

    public func flush(checkpoint: SinkCheckpoint) async throws {
        state.withLock { state in
            state.flushed += state.pending
            state.pending.removeAll()
        }
    }

    /// Everything appended, flushed or not.
    public var values: [Value] { state.withLock { $0.flushed + $0.pending } }

    /// Only what has been flushed at a checkpoint.
    public var flushedValues: [Value] { state.withLock { $0.flushed } }
}
