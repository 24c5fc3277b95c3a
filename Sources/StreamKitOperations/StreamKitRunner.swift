import Foundation
import Logging
import ServiceLifecycle
import StreamKit
import UnixSignals

/// Runs a StreamKit program: the app and its operations server in one `ServiceGroup`, with signal handling.
///
///     let app = try StreamApp(name: "orders", broker: broker, metrics: PrometheusMetricsFactory.streamKit())
///     // … build the pipeline …
///     try await StreamKitRunner.run(app, operations: OperationsServer(app: app, port: 9464), logger: logger)
///
/// The first SIGTERM or SIGINT starts a graceful shutdown: the app stops polling, finishes the batch in hand,
/// flushes its sinks, checkpoints and leaves its consumer group; then the operations server stops, so `/health`
/// answers until the end (and `/ready` says 503 from the first signal on). A second signal exits the process at
/// once, without a final checkpoint: nothing committed is lost, and the records since the last checkpoint are
/// processed again on restart (under exactly-once, the open transaction is aborted by the broker).
public enum StreamKitRunner {
    /// Runs `app`, and `operations` if given, until the app stops or fails, or a signal shuts them down.
    ///
    /// - Throws: The first error of the app or the server (for instance its port being taken), after the
    ///   other has shut down gracefully.
    public static func run(_ app: StreamApp, operations: OperationsServer? = nil, logger: Logger) async throws {
        try await run(serviceGroup(app, operations: operations, logger: logger), logger: logger)
    }

    /// Runs `group` until it ends, with the signal handling of ``run(_:operations:logger:)``: the first SIGTERM or
    /// SIGINT shuts the group down gracefully, a second exits at once with status 128 + the signal number. For
    /// programs that put services of their own beside their apps (an HTTP gateway, a time limit).
    ///
    /// - Throws: The group's first error, after the other services have shut down gracefully.
    public static func run(_ group: ServiceGroup, logger: Logger) async throws {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                var state = ShutdownSignalState()
                for await signal in signals {
                    switch state.on(signal) {
                    case .shutDownGracefully:
                        logger.notice(
                            "shutting down gracefully; send the signal again to exit at once",
                            metadata: ["signal": "\(signal)"])
                        await group.triggerGracefulShutdown()
                    case .exit(let status):
                        logger.warning(
                            "exiting at once, without a final checkpoint", metadata: ["signal": "\(signal)"])
                        exit(status)
                    }
                }
            }
            try await group.run()
            tasks.cancelAll()
        }
    }

    /// The group ``run(_:operations:logger:)`` runs, without its signal handling: for tests, and for programs that
    /// handle signals themselves or add services of their own.
    ///
    /// The app's service is last, so graceful shutdown stops it first and the operations server after it. When the
    /// app returns or throws, the whole group shuts down gracefully.
    public static func serviceGroup(_ app: StreamApp, operations: OperationsServer? = nil, logger: Logger)
        -> ServiceGroup
    {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let operations {
            services.append(
                .init(
                    service: operations, successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        services.append(
            .init(
                service: StreamAppService(app), successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup))
        return ServiceGroup(configuration: ServiceGroupConfiguration(services: services, logger: logger))
    }
}
