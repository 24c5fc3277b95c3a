import Synchronization

/// The port a server ends up listening on, awaited by callers that start it with port 0.
final class ListeningPort: Sendable {
    private struct State {
        var result: Result<Int, any Error>?
        var waiting: [CheckedContinuation<Int, any Error>] = []
    }

    private let state = Mutex(State())

    /// The port, once the server listens; the server's failure if it stopped before.
    var value: Int {
        get async throws {
            try await withCheckedThrowingContinuation { continuation in
                let result = state.withLock { state -> Result<Int, any Error>? in
                    if state.result == nil { state.waiting.append(continuation) }
                    return state.result
                }
                if let result { continuation.resume(with: result) }
            }
        }
    }

    /// Settles the outcome; the first call wins, later ones are ignored.
    func resolve(_ result: Result<Int, any Error>) {
        let waiting = state.withLock { state -> [CheckedContinuation<Int, any Error>] in
            guard state.result == nil else { return [] }
            state.result = result
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume(with: result) }
    }
}
