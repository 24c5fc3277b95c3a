import ServiceLifecycle

/// A service that ends after `limit` (or at graceful shutdown), which ends the ``ExampleRunner`` group it is in:
/// `--duration`.
struct TimeLimitService: Service {
    let limit: Duration

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { [limit] in try await Task.sleep(for: limit) }
        } catch is CancellationError {}
    }
}
