import Dispatch
import Testing

@testable import StreamKitKafka

/// The bounded wait behind ``KafkaConsumer/close(timeout:)``: a blocking call that does not finish in time is
/// given up on (it goes on on its thread), one that does returns its result or its error.
@Suite("Blocking calls with a time limit")
struct BlockingCallsTests {
    let calls = BlockingCalls(label: "streamkit.tests.blocking")

    @Test func aCallThatFinishesInTimeReturnsItsResult() async throws {
        let value = try await calls.run(within: .seconds(10)) { () throws(KafkaError) in 42 }
        #expect(value == 42)
    }

    @Test func aCallThatOverrunsIsGivenUpOnAtTheLimit() async throws {
        let release = DispatchSemaphore(value: 0)
        // Releases the call after 60 s, so a limit that does not work shows as the call's value, not as a hang.
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) { release.signal() }
        let started = ContinuousClock.now
        let value = try await calls.run(within: .milliseconds(200)) { () throws(KafkaError) -> Int in
            release.wait()
            return 1
        }
        // No upper bound on the wall time: on a loaded machine the awaiting task may resume long after the limit
        // (every thread of the cooperative pool busy with other tests); the watchdog above is the bound.
        #expect(value == nil, "the call was not given up on before it returned")
        #expect(ContinuousClock.now - started >= .milliseconds(200))
        release.signal()
    }

    @Test func aCallThatFailsInTimeThrows() async throws {
        let error = await #expect(throws: KafkaError.self) {
            _ = try await calls.run(within: .seconds(10)) { () throws(KafkaError) -> Int in
                throw KafkaError(code: .invalidState, reason: "no")
            }
        }
        #expect(error?.code == .invalidState)
    }
}
