import Dispatch
import Synchronization

/// Runs blocking librdkafka calls (flush, close, synchronous commit, polls with a timeout, admin requests) on
/// Dispatch threads and resumes the awaiting task afterwards, so they never occupy the cooperative pool.
///
/// The queue is concurrent: a long poll does not delay a commit or a close issued meanwhile.
struct BlockingCalls: Sendable {
    private let queue: DispatchQueue
    /// Serial, so it draws on Dispatch's overcommitting threads: a limit fires even while blocking calls hold
    /// every thread the concurrent queue may use.
    private let limits: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label, attributes: .concurrent)
        limits = DispatchQueue(label: label + ".limits")
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws(KafkaError) -> T) async throws(KafkaError) -> T {
        let result: Result<T, KafkaError> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Result { () throws(KafkaError) in try body() }) }
        }
        return try result.get()
    }

    /// ``run(_:)``, but waits at most `limit`: returns `nil` if `body` has not finished by then. The call goes on
    /// on its thread (a blocking librdkafka call cannot be interrupted) and its result is dropped.
    func run<T: Sendable>(
        within limit: Duration, _ body: @escaping @Sendable () throws(KafkaError) -> T
    ) async throws(KafkaError) -> T? {
        let resumed = Atomic<Bool>(false)
        let result: Result<T, KafkaError>? = await withCheckedContinuation { continuation in
            let resumeOnce: @Sendable (Result<T, KafkaError>?) -> Void = { result in
                guard !resumed.exchange(true, ordering: .acquiringAndReleasing) else { return }
                continuation.resume(returning: result)
            }
            queue.async { resumeOnce(Result { () throws(KafkaError) in try body() }) }
            limits.asyncAfter(deadline: .now() + .nanoseconds(Int(limit / .nanoseconds(1)))) { resumeOnce(nil) }
        }
        return try result?.get()
    }
}
