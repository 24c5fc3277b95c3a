import StreamKit
import Synchronization

/// The lag of a consumer's partitions, measured off the caller's path: a partition measured before answers with its
/// last measurement at once while a new one runs in the background; a partition never measured (just assigned) is
/// measured before the answer, so readiness after an assignment is exact from the start.
///
/// Measuring asks the partition leaders (a request per partition, tens of milliseconds on a loaded machine), and the
/// runtime asks between two polls, about once a second: waiting there held every record up meanwhile.
final class LagMeasurement: Sendable {
    typealias Measure = @Sendable ([TopicPartition]) async throws -> [TopicPartition: Int64]

    private struct State {
        /// The last lag measured per partition, of the partitions last asked for.
        var last: [TopicPartition: Int64] = [:]
        var isMeasuring = false
    }

    private let measure: Measure
    private let state = Mutex(State())
    /// Receives a background measurement's failure; the last values stay.
    private let onFailure: @Sendable (any Error) -> Void

    /// - Parameters:
    ///   - measure: Asks the broker; throws what the broker answered.
    ///   - onFailure: Told when a background measurement failed.
    init(measure: @escaping Measure, onFailure: @escaping @Sendable (any Error) -> Void) {
        self.measure = measure
        self.onFailure = onFailure
    }

    /// The lag of `partitions`: measured now when one of them never was, else the last measurement, with the next
    /// one started unless one runs. Partitions not asked for are forgotten.
    func lag(for partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
        let wanted = Set(partitions)
        let known = state.withLock { state -> [TopicPartition: Int64]? in
            state.last = state.last.filter { wanted.contains($0.key) }
            guard state.last.count == wanted.count else { return nil }
            if !state.isMeasuring {
                state.isMeasuring = true
                Task { await self.measureInBackground(partitions) }
            }
            return state.last
        }
        if let known { return known }
        let lag = try await measure(partitions)
        state.withLock { $0.last.merge(lag.filter { wanted.contains($0.key) }) { _, new in new } }
        return lag
    }

    private func measureInBackground(_ partitions: [TopicPartition]) async {
        let result: [TopicPartition: Int64]?
        do {
            result = try await measure(partitions)
        } catch {
            result = nil
            onFailure(error)
        }
        state.withLock { state in
            state.isMeasuring = false
            // Only partitions still asked for: one released meanwhile is measured anew when it comes back.
            for (partition, lag) in result ?? [:] where state.last[partition] != nil { state.last[partition] = lag }
        }
    }
}
