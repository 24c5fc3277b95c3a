import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import StreamKit

/// An HTTP server for a running app's operations endpoints, as a ServiceLifecycle `Service`:
///
/// - `GET /metrics`: every metric of the app's Prometheus registry, in the Prometheus text format.
/// - `GET /health`: liveness; 200 unless the app's run loop failed, then 503.
/// - `GET /ready`: readiness; 200 once the app runs, its assigned partitions are restored and none is more
///   than `readinessMaxLag` records behind, otherwise 503.
///
/// `/health` and `/ready` answer with a small JSON report of the app's `StreamAppStatus`.
///
///     let app = try StreamApp(name: "orders", broker: broker, metrics: PrometheusMetricsFactory.streamKit())
///     …
///     try await StreamKitRunner.run(app, operations: OperationsServer(app: app, port: 9464), logger: logger)
///
/// The server reads only the app's status object and the registry, both thread-safe, so it never slows the
/// run loop down. Graceful shutdown stops it; in a ``StreamKitRunner`` group it stops after the app, so
/// `/health` answers while the app checkpoints.
public struct OperationsServer: Service {
    /// The Prometheus text format's content type.
    static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    private let status: StreamAppStatus
    private let registry: PrometheusCollectorRegistry?
    private let host: String
    private let port: Int
    private let readinessMaxLag: Int64
    private let logger: Logger
    private let listening = ListeningPort()

    /// Makes a server for `app`'s endpoints.
    ///
    /// - Parameters:
    ///   - app: The app whose status and metrics are served. Only its thread-safe status is kept.
    ///   - host: The address to listen on; `0.0.0.0` for every interface (as in a container), `127.0.0.1` for
    ///     this machine only.
    ///   - port: The TCP port; 9464 is the usual Prometheus exporter port. 0 picks a free one (see
    ///     ``listeningPort``).
    ///   - registry: The registry `/metrics` exports. By default the one behind the app's metrics factory
    ///     when that is a `PrometheusMetricsFactory`; with neither, `/metrics` answers 404 and says how to
    ///     turn export on.
    ///   - readinessMaxLag: The most records any assigned partition may be behind for `/ready` to answer 200.
    ///   - logger: For the HTTP server's own messages.
    public init(
        app: StreamApp, host: String = "0.0.0.0", port: Int = 9464, registry: PrometheusCollectorRegistry? = nil,
        readinessMaxLag: Int64 = 10_000, logger: Logger = Logger(label: "streamkit.operations")
    ) {
        status = app.status
        self.registry = registry ?? (app.metricsFactory as? PrometheusMetricsFactory)?.registry
        self.host = host
        self.port = port
        self.readinessMaxLag = readinessMaxLag
        var logger = logger
        logger[metadataKey: "app"] = "\(app.name)"
        self.logger = logger
    }

    /// The port the server listens on, once it does: the one asked for, or the one picked for port 0.
    ///
    /// - Throws: The error `run()` failed with (the port is taken, say) if it failed before listening.
    public var listeningPort: Int {
        get async throws { try await listening.value }
    }

    /// Serves the endpoints until graceful shutdown or cancellation.
    ///
    /// - Throws: When the address cannot be bound.
    public func run() async throws {
        let application = Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port)),
            onServerRunning: { [listening] channel in
                listening.resolve(.success(channel.localAddress?.port ?? port))
            },
            logger: logger)
        do {
            try await application.run()
        } catch {
            listening.resolve(.failure(error))
            throw error
        }
        listening.resolve(.failure(CancellationError()))
    }

    private func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        let status = self.status
        let registry = self.registry
        let maxLag = readinessMaxLag
        router.get("metrics") { _, _ -> Response in
            guard let registry else {
                return Self.text(
                    .notFound,
                    "metrics export is off: make the app with metrics: PrometheusMetricsFactory(registry: …)")
            }
            return Response(
                status: .ok, headers: [.contentType: Self.metricsContentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("health") { _, _ -> Response in
            let snapshot = status.snapshot
            return Self.report(snapshot, isUp: snapshot.isLive)
        }
        router.get("ready") { _, _ -> Response in
            let snapshot = status.snapshot
            return Self.report(snapshot, isUp: snapshot.isReady(maxLag: maxLag))
        }
        return router
    }

    private static func text(_ code: HTTPResponse.Status, _ message: String) -> Response {
        Response(
            status: code, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: message + "\n")))
    }

    private static func report(_ snapshot: StreamAppStatus.Snapshot, isUp: Bool) -> Response {
        let report = StatusReport(snapshot, isUp: isUp)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding strings, booleans and integers cannot fail.
        let body = (try? encoder.encode(report)) ?? Data()
        return Response(
            status: isUp ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
