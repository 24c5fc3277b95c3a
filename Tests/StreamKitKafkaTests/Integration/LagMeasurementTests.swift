import StreamKit
import StreamKitTestSupport
import Synchronization
import Testing

@testable import StreamKitKafka

/// The lag is measured off the run loop once a partition is known: the answer is the last measurement, and the next
/// runs in the background. The broker here is a fake measurement (the test controls when it answers and what).
@Suite("Measuring the lag off the run loop")
struct LagMeasurementTests {
    /// A measurement that answers `lag` once `isOpen`, counting its calls.
    final class FakeMeasure: Sendable {
        struct State {
            var lag: [TopicPartition: Int64] = [:]
            var isOpen = true
            var calls = 0
            var failure: (any Error)?
        }
        let state = Mutex(State())

        func measure(_ partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
            state.withLock { $0.calls += 1 }
            while !state.withLock({ $0.isOpen }) { try await Task.sleep(for: .milliseconds(1)) }
            return try state.withLock { state in
                if let failure = state.failure { throw failure }
                return state.lag.filter { partitions.contains($0.key) }
            }
        }
    }

    struct Refused: Error {}

    let p0 = TopicPartition(topic: "t", partition: 0)
    let p1 = TopicPartition(topic: "t", partition: 1)

    @Test(.timeLimit(.minutes(1)))
    func knownPartitionsAnswerAtOnceWhileTheNextMeasurementRuns() async throws {
        let fake = FakeMeasure()
        let failures = Mutex(0)
        let measurement = LagMeasurement(measure: fake.measure, onFailure: { _ in failures.withLock { $0 += 1 } })
        fake.state.withLock { $0.lag = [p0: 10] }
        // Never measured: measured before the answer.
        #expect(try await measurement.lag(for: [p0]) == [p0: 10])
        #expect(fake.state.withLock { $0.calls } == 1)

        // Known: the last measurement at once, even while the broker does not answer; one measurement in the
        // background, not one per call.
        fake.state.withLock {
            $0.lag = [p0: 3]
            $0.isOpen = false
        }
        #expect(try await measurement.lag(for: [p0]) == [p0: 10])
        #expect(try await measurement.lag(for: [p0]) == [p0: 10])
        try await waitUntil("the background measurement asked") { fake.state.withLock { $0.calls } == 2 }
        fake.state.withLock { $0.isOpen = true }
        try await waitUntil("the new measurement answered") { try await measurement.lag(for: [p0]) == [p0: 3] }

        // A newly assigned partition is measured first, with the others.
        fake.state.withLock { $0.lag = [p0: 2, p1: 7] }
        #expect(try await measurement.lag(for: [p0, p1]) == [p0: 2, p1: 7])

        // A failed background measurement keeps the last values and is reported.
        fake.state.withLock { $0.failure = Refused() }
        #expect(try await measurement.lag(for: [p0, p1]) == [p0: 2, p1: 7])
        try await waitUntil("the failure reported") { failures.withLock { $0 } >= 1 }
        #expect(try await measurement.lag(for: [p0, p1]) == [p0: 2, p1: 7])
    }

    @Test func aPartitionReleasedAndBackIsMeasuredAnew() async throws {
        let fake = FakeMeasure()
        let measurement = LagMeasurement(measure: fake.measure, onFailure: { _ in })
        fake.state.withLock { $0.lag = [p0: 10, p1: 20] }
        #expect(try await measurement.lag(for: [p0, p1]) == [p0: 10, p1: 20])
        try await waitUntil("no measurement running") { fake.state.withLock { $0.calls } >= 1 }
        #expect(try await measurement.lag(for: [p0]) == [p0: 10])  // p1 released: forgotten
        fake.state.withLock { $0.lag = [p0: 10, p1: 99] }
        let calls = fake.state.withLock { $0.calls }
        #expect(try await measurement.lag(for: [p0, p1]) == [p0: 10, p1: 99])  // p1 back: measured before answering
        #expect(fake.state.withLock { $0.calls } > calls)
    }
}
