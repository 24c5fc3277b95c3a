import ServiceLifecycle
import StreamKit

/// Runs a `StreamApp` as a ServiceLifecycle `Service`, for programs that build their own `ServiceGroup`.
///
/// On graceful shutdown the app stops polling, finishes the batch in hand, flushes its sinks, checkpoints and
/// leaves its consumer group (`StreamApp.stop()`), then `run()` returns. Cancellation does the same as far as a
/// cancelled task can. ``StreamKitService/run(_:operations:logger:)`` builds the usual group for you.
///
///     let group = ServiceGroup(services: [OperationsServer(app: app), StreamAppService(app)], logger: logger)
public struct StreamAppService: Service {
    /// Hands the app to the service's task. `StreamApp` is not `Sendable` because its pipeline is built
    /// step by step; by the time it is wrapped the pipeline is complete and only read, `run()` is called from
    /// this service's task alone, and `stop()` and `status`, used from other tasks, are thread-safe.
    private final class AppReference: @unchecked Sendable {
        let app: StreamApp
        init(_ app: StreamApp) { self.app = app }
    }

    private let reference: AppReference
    private let mode: RunMode

    /// Wraps an app whose pipeline is complete.
    ///
    /// - Parameter mode: `.continuous` for a service; `.backtest` makes the service finish when the input is
    ///   exhausted, which shuts a ``StreamKitService`` group down.
    public init(_ app: StreamApp, mode: RunMode = .continuous) {
        reference = AppReference(app)
        self.mode = mode
    }

    /// Runs the app until graceful shutdown, cancellation or, in `.backtest` mode, the end of its input.
    ///
    /// - Throws: What `StreamApp.run` throws.
    public func run() async throws {
        let reference = self.reference
        try await withGracefulShutdownHandler {
            try await reference.app.run(mode: mode)
        } onGracefulShutdown: {
            reference.app.stop()
        }
    }
}
