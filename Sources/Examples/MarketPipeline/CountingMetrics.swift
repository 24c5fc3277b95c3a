import Metrics
import Synchronization

/// A metrics factory that keeps counters in memory, so the example can print what its app did: records read,
/// and records dead-lettered per stage. Recorders and timers are not kept.
final class CountingMetrics: MetricsFactory {
    /// One counter; swift-metrics increments it from any thread.
    final class Count: CounterHandler {
        let label: String
        let dimensions: [String: String]
        let value = Atomic<Int64>(0)

        init(label: String, dimensions: [String: String]) {
            self.label = label
            self.dimensions = dimensions
        }

        func increment(by amount: Int64) { value.add(amount, ordering: .relaxed) }
        func reset() { value.store(0, ordering: .relaxed) }
    }

    private let counters = Mutex<[Count]>([])

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        let count = Count(label: label, dimensions: Dictionary(dimensions) { _, last in last })
        counters.withLock { $0.append(count) }
        return count
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        NOOPMetricsHandler.instance
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        NOOPMetricsHandler.instance
    }

    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}

    /// The sum of the counters named `label` whose dimensions include `matching`, per value of `dimension`.
    func totals(_ label: String, by dimension: String, matching: [String: String] = [:]) -> [String: Int64] {
        counters.withLock { counters in
            var totals: [String: Int64] = [:]
            for count in counters where count.label == label && matching.allSatisfy({ count.dimensions[$0] == $1 }) {
                totals[count.dimensions[dimension] ?? "", default: 0] += count.value.load(ordering: .relaxed)
            }
            return totals
        }
    }

    /// The sum of the counters named `label` whose dimensions include `matching`.
    func total(_ label: String, matching: [String: String] = [:]) -> Int64 {
        totals(label, by: "", matching: matching).values.reduce(0, +)
    }
}
