import Synchronization

/// How many events each part of the event bus produced and consumed, for the summary line.
final class EventBusCounters: Sendable {
    /// The two event streams.
    enum Stream: Hashable {
        case bank, price
    }

    private struct Counts {
        var produced: [Stream: Int] = [:]
        var consumed: [Stream: Int] = [:]
    }

    private let counts = Mutex(Counts())

    func countProduced(_ stream: Stream) { counts.withLock { $0.produced[stream, default: 0] += 1 } }
    func countConsumed(_ stream: Stream) { counts.withLock { $0.consumed[stream, default: 0] += 1 } }

    func produced(_ stream: Stream) -> Int { counts.withLock { $0.produced[stream, default: 0] } }
    func consumed(_ stream: Stream) -> Int { counts.withLock { $0.consumed[stream, default: 0] } }
}
