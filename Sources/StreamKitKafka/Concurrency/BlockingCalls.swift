import Dispatch

/// Runs blocking librdkafka calls (flush, close, synchronous commit, polls with a timeout, admin requests) on
/// Dispatch threads and resumes the awaiting task afterwards, so they never occupy the cooperative pool.
///
/// The queue is concurrent: a long poll does not delay a commit or a close issued meanwhile.
struct BlockingCalls: Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label, attributes: .concurrent)
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws(KafkaError) -> T) async throws(KafkaError) -> T {
        let result: Result<T, KafkaError> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Result { () throws(KafkaError) in try body() }) }
        }
        return try result.get()
    }
}
