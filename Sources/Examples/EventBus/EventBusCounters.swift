import Synchronization

/// How many events each part of the event bus produced and consumed, and the recommendations it made, for the
/// summary lines.
final class EventBusCounters: Sendable {
    /// The two event streams.
    enum Stream: Hashable {
        case bank, price
    }

    private struct Counts {
        var produced: [Stream: Int] = [:]
        var consumed: [Stream: Int] = [:]
        var recommendations: [Recommendation.Action: Int] = [:]
    }

    private let counts = Mutex(Counts())

    func countProduced(_ stream: Stream) { counts.withLock { $0.produced[stream, default: 0] += 1 } }
    func countConsumed(_ stream: Stream) { counts.withLock { $0.consumed[stream, default: 0] += 1 } }
    func countRecommendation(_ action: Recommendation.Action) {
        counts.withLock { $0.recommendations[action, default: 0] += 1 }
    }

    func produced(_ stream: Stream) -> Int { counts.withLock { $0.produced[stream, default: 0] } }
    func consumed(_ stream: Stream) -> Int { counts.withLock { $0.consumed[stream, default: 0] } }
    var recommendations: [Recommendation.Action: Int] { counts.withLock { $0.recommendations } }
}
