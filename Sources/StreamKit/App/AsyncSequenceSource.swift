import Synchronization

extension StreamApp {
    /// Starts a frame that reads any `AsyncSequence` instead of a topic: the same DSL inside an app with
    /// no broker, or beside topics.
    ///
    ///     let feed = app.dataframe(from: ticksStream, name: "feed", key: \.symbol,
    ///                              timestamp: { EventTime(milliseconds: $0.tsEventMs) })
    ///
    /// The sequence is read by a task of its own into a bounded buffer (it waits while the buffer is
    /// full), and its elements are processed in partition task 0 of this instance, with that task's
    /// state. Each instance of the app reads its own copy of the sequence; it has no offsets, so after a
    /// restart it is read again from wherever the sequence starts. In `.backtest` mode the run ends once
    /// the sequence has finished and everything is processed.
    ///
    /// - Parameters:
    ///   - source: The sequence; it is iterated once per run of the app.
    ///   - name: Names the source in the pipeline description.
    ///   - key: The record key of each element (state and windows are per key).
    ///   - timestamp: The event time of each element.
    @inlinable
    public func dataframe<Source: AsyncSequence & Sendable, Key: StreamKey>(
        from source: Source, name: String, key: @escaping (Source.Element) -> Key,
        timestamp: @escaping (Source.Element) -> EventTime
    ) -> DataFrame<Key, Source.Element> where Source.Element: Sendable {
        let node = graph.addNode(kind: "source", label: "async sequence \(name)", inputs: [], store: nil)
        let root = AsyncSequenceSource(sequence: source, key: key, timestamp: timestamp)
        graph.addAsyncSource(root)
        return DataFrame(app: self, port: root.port, node: node)
    }
}

/// An `AsyncSequence` source as the runtime sees it.
@usableFromInline
protocol AsyncSourceRoot: AnyObject {
    /// Starts reading the sequence into the buffer.
    func start() -> Task<Void, any Error>
    /// Processes the buffered elements in `context`'s task; returns how many.
    func drain(into context: PartitionContext) throws -> Int
    /// Whether the sequence ended and every element was drained.
    var isExhausted: Bool { get }
}

/// Reads a sequence into a bounded buffer on a task of its own; the run loop drains it.
@usableFromInline
final class AsyncSequenceSource<Source: AsyncSequence & Sendable, Key: StreamKey>: AsyncSourceRoot
where Source.Element: Sendable {
    @usableFromInline typealias Element = Source.Element

    struct Buffer {
        var elements: [Element] = []
        var isFinished = false
        var failure: (any Error)?
        var waitingProducer: CheckedContinuation<Void, Never>?
    }

    static var capacity: Int { 4_096 }

    @usableFromInline let sequence: Source
    @usableFromInline let port = RecordPort<Key, Element>()
    @usableFromInline let makeRoot: (PartitionContext) -> (Element) throws -> Void
    private let buffer = Mutex(Buffer())
    private var roots: [ObjectIdentifier: (Element) throws -> Void] = [:]

    @inlinable
    init(sequence: Source, key: @escaping (Element) -> Key, timestamp: @escaping (Element) -> EventTime) {
        self.sequence = sequence
        let port = self.port
        makeRoot = { context in
            let push = port.compile(in: context)
            return { element in
                do {
                    try push(StreamRecord(key: key(element), value: element, timestamp: timestamp(element)))
                } catch let failure as OperatorFailure {
                    try context.handleFailure(failure, action: context.errorPolicy.processing, stage: failure.stage)
                }
            }
        }
    }

    @usableFromInline
    func start() -> Task<Void, any Error> {
        // The task holds the sequence (Sendable) and the buffer's mutex through `self`, which the
        // app's graph keeps alive for the whole run.
        nonisolated(unsafe) let source = self
        return Task {
            do {
                for try await element in source.sequence {
                    await source.push(element)
                }
                source.buffer.withLock { $0.isFinished = true }
            } catch {
                source.buffer.withLock {
                    $0.failure = error
                    $0.isFinished = true
                }
            }
        }
    }

    /// Appends one element, waiting while the buffer is full.
    private func push(_ element: Element) async {
        let isFull = buffer.withLock { state in
            state.elements.append(element)
            return state.elements.count >= Self.capacity
        }
        guard isFull else { return }
        await withCheckedContinuation { continuation in
            let resumeNow = buffer.withLock { state in
                if state.elements.count < Self.capacity { return true }
                state.waitingProducer = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    @usableFromInline
    func drain(into context: PartitionContext) throws -> Int {
        let (elements, waiting, failure) = buffer.withLock { state in
            defer {
                state.elements.removeAll(keepingCapacity: true)
                state.waitingProducer = nil
            }
            return (state.elements, state.waitingProducer, state.failure)
        }
        waiting?.resume()
        if let failure { throw StreamAppError(.io, "the async sequence source failed: \(failure)") }
        let id = ObjectIdentifier(context)
        let root = roots[id] ?? makeRoot(context)
        roots[id] = root
        for element in elements { try root(element) }
        context.counters.recordsIn += elements.count
        return elements.count
    }

    @usableFromInline
    var isExhausted: Bool { buffer.withLock { $0.isFinished && $0.elements.isEmpty } }
}
