import ServiceLifecycle
import StreamKit

/// Runs a `StreamApp` as a ServiceLifecycle `Service`, for programs that build their own `ServiceGroup`.
///
/// On graceful shutdown the app stops polling, finishes the batch in hand, flushes its sinks, checkpoints and
/// leaves its consumer group (`StreamApp.stop()`), then `run()` returns. Cancellation does the same as far as a
/// cancelled task can. ``StreamKitRunner/run(_:operations:logger:)`` builds the usual group for you.
///
///     let group = ServiceGroup(services: [OperationsServer(app: app), StreamAppService(app)], logger: logger)
public struct StreamAppService: Service {
    private let app: StreamApp
    private let mode: RunMode

    /// Wraps an app whose pipeline is complete.
    ///
    /// - Parameters:
    ///   - app: The app to run.
    ///   - mode: `.continuous` for a service; `.backtest` makes the service finish when the input is
    ///     exhausted, which shuts a ``StreamKitRunner`` group down.
    public init(_ app: StreamApp, mode: RunMode = .continuous) {
        self.app = app
        self.mode = mode
    }

    /// Runs the app until graceful shutdown, cancellation or, in `.backtest` mode, the end of its input.
    ///
    /// - Throws: What `StreamApp.run` throws.
    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await app.run(mode: mode)
        } onGracefulShutdown: { [app] in
            app.stop()
        }
    }
}
