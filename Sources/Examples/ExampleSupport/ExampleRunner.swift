import ArgumentParser
import Logging
import Prometheus
import ServiceLifecycle
import StreamKit
import StreamKitOperations

/// Runs an example's apps and services in one `ServiceGroup`, with the operations endpoints of
/// ``OperationsOptions`` and graceful shutdown on SIGTERM/SIGINT.
///
///     let runner = ExampleRunner(operations, logger: logger)
///     let app = try StreamApp(name: "orders", broker: broker, logger: logger, metrics: runner.metrics)
///     // … build the pipeline …
///     try await runner.run(app, mode: replay.runMode, stoppingAfter: replay.runDuration)
///
/// Signals are handled by `StreamKitRunner.run(_:logger:)`: the first stops the group gracefully, the services
/// in the reverse of their order (an app stops polling, finishes its batch, flushes, checkpoints and leaves its
/// group), the operations server last, so `/health` answers to the end; a second exits at once. When any service ends or fails, the others are stopped gracefully too, and the
/// failure is thrown.
package struct ExampleRunner: Sendable {
    /// The factory to make every app of the process with (`StreamApp(metrics:)`): one Prometheus registry
    /// for all of them, served on `/metrics`; `nil` with `--no-metrics` (the bootstrapped, no-op system).
    package let metrics: PrometheusMetricsFactory?
    private let host: String
    private let port: Int?
    private let logger: Logger

    /// - Parameter options: The flags; `nil` for a program without operations endpoints (it still stops
    ///   gracefully on a signal).
    package init(_ options: OperationsOptions?, logger: Logger) {
        port = options?.resolvedPort
        host = options?.metricsHost ?? ""
        metrics = port == nil ? nil : PrometheusMetricsFactory.streamKit()
        self.logger = logger
    }

    /// Runs `app` in `mode` until it ends (a backtest), `limit` passes, or a signal stops it.
    package func run(_ app: StreamApp, mode: RunMode = .continuous, stoppingAfter limit: Duration? = nil)
        async throws
    {
        try await run([StreamAppService(app, mode: mode)], reporting: app, stoppingAfter: limit)
    }

    /// Runs `services` (apps as `StreamAppService`, servers, drivers) until the first ends, `limit` passes, or
    /// a signal stops them; the operations endpoints report `app`'s status (all apps' metrics are on `/metrics`).
    ///
    /// Graceful shutdown stops the services from the last to the first.
    ///
    /// - Throws: The first service's failure, after the others stopped; a ``ValidationError`` naming
    ///   `--metrics-port` when the operations server cannot listen.
    package func run(_ services: [any Service], reporting app: StreamApp?, stoppingAfter limit: Duration? = nil)
        async throws
    {
        var server: OperationsServer?
        if let app, let port, let metrics {
            server = OperationsServer(app: app, host: host, port: port, registry: metrics.registry, logger: logger)
        }
        let members = (server.map { [$0] } ?? []) + services + (limit.map { [TimeLimitService(limit: $0)] } ?? [])
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: members.map {
                    .init(
                        service: $0, successTerminationBehavior: .gracefullyShutdownGroup,
                        failureTerminationBehavior: .gracefullyShutdownGroup)
                }, logger: logger))
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                if let server {
                    tasks.addTask { [host] in
                        guard let port = try? await server.listeningPort else { return }
                        let shown = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
                        Console.line("operations: http://\(shown):\(port) (/metrics /health /ready)")
                    }
                }
                try await StreamKitRunner.run(group, logger: logger)
                tasks.cancelAll()
            }
        } catch {
            // The server settles its port with the bind error when it could not listen.
            if let server {
                do {
                    _ = try await server.listeningPort
                } catch let failure where !(failure is CancellationError) {
                    throw ValidationError(
                        "--metrics-port \(port ?? 0): the operations endpoints cannot listen on \(host): \(failure)")
                }
            }
            throw error
        }
    }
}
