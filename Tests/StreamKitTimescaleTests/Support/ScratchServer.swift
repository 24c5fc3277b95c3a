import Foundation
import StreamKitTestSupport

/// A second throwaway PostgreSQL, started with `scripts/postgres` in its own directory, that a test may
/// restart without disturbing the tests that share the `TIMESCALE_URL` server.
struct ScratchServer {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/postgres")

    /// The script runs initdb as the `postgres` user, which needs root (or that user) and an installed server.
    static var canStart: Bool {
        FileManager.default.isExecutableFile(atPath: script.path) && getuid() == 0
            && FileManager.default.fileExists(atPath: "/usr/lib/postgresql/15/bin/pg_ctl")
    }

    let directory: URL
    private(set) var url = ""

    static func start() async throws -> ScratchServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent(TestEnvironment.uniqueName("streamkit-pg"))
        var server = ScratchServer(directory: directory)
        try await server.run("start")
        server.url = try String(contentsOf: directory.appendingPathComponent("url"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return server
    }

    /// The postmaster's process id, from the data directory.
    func postmasterPID() throws -> String {
        let pidFile = directory.appendingPathComponent("data/postmaster.pid")
        return try String(contentsOf: pidFile, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
    }

    /// Runs `scripts/postgres <command>` for this server and waits for it (it takes seconds). Success is judged
    /// by the script's effects (the url file, a new postmaster); its output is in the failure if it hangs.
    func run(_ command: String) async throws {
        let script = try ChildProcess(
            Self.script.path, [command], environment: ["STREAMKIT_POSTGRES_DIR": directory.path], name: "postgres")
        try await script.waitForExit(within: .seconds(120))
    }

    /// Stops the server and removes its directory.
    func stop() async throws {
        try await run("stop")
        try FileManager.default.removeItem(at: directory)
    }
}
