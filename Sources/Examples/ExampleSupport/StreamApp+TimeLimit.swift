import StreamKit

extension StreamApp {
    /// Runs the app in `mode` and, when `limit` is given, stops it after that long (with the final checkpoint
    /// that cancellation triggers).
    ///
    /// Whichever ends first ends the run: the app itself (a backtest reached the end of its input) or the limit.
    package func run(mode: RunMode, stoppingAfter limit: Duration?) async throws {
        guard let limit else { return try await run(mode: mode) }
        // The app moves to the child task; this task only waits and never touches it again.
        nonisolated(unsafe) let app = self
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run(mode: mode) }
            group.addTask { try await Task.sleep(for: limit) }
            try await group.next()
            group.cancelAll()
            try await group.waitForAll()
        }
    }
}
