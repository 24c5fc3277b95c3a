import Logging
import ServiceLifecycle
import StreamKit
import StreamKitOperations
import StreamKitTestSupport

/// An app and its operations server running in a `StreamKitRunner` group, the server on a free loopback port.
struct RunningService {
    let group: ServiceGroup
    let run: Task<Void, any Error>
    let port: Int

    /// Starts the group and waits until the server listens.
    static func start(_ app: StreamApp, readinessMaxLag: Int64 = 0) async throws -> RunningService {
        let server = OperationsServer(app: app, host: "127.0.0.1", port: 0, readinessMaxLag: readinessMaxLag)
        let group = StreamKitRunner.serviceGroup(app, operations: server, logger: Logger(label: "operations-test"))
        let run = Task { try await group.run() }
        return RunningService(group: group, run: run, port: try await server.listeningPort)
    }

    /// GETs `path` from the operations server.
    func get(_ path: String) async throws -> HTTPAnswer {
        try await httpGet(path, port: port)
    }

    /// Shuts the group down gracefully, as the first SIGTERM would, and waits until it has.
    func shutDown() async throws {
        await group.triggerGracefulShutdown()
        try await run.value
    }
}
