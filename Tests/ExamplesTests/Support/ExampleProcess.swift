import Foundation
import StreamKitTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// One example program run as a separate process: the built executable next to the test bundle, its output
/// in files, waited for with `waitpid` (Foundation's `Process.waitUntilExit` can miss a child's exit on Linux).
final class ExampleProcess: @unchecked Sendable {
    // @unchecked Sendable: `pid` and the file paths are set once in init; `status` is only touched under `lock`.
    enum ExitStatus: Equatable, Sendable {
        case exited(Int32)
        case signalled(Int32)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let name: String
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String
    private let lock = NSLock()
    private var status: ExitStatus?

    /// Starts `executable` (a product name, e.g. `market-pipeline`) with `arguments`, adding `environment` to
    /// this process's environment. Its operations endpoints listen on a free port (`METRICS_PORT=0`, unless
    /// `environment` or `--metrics-port` says otherwise), so examples run side by side never contend for 9464.
    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let path = Self.executableURL(executable).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure(description: "\(path) is not built; run `swift build --build-tests` first")
        }
        name = executable
        let stamp = "\(executable)-\(UInt32.random(in: 0...UInt32.max))"
        stdoutPath = FileManager.default.temporaryDirectory.appendingPathComponent("\(stamp).out").path
        stderrPath = FileManager.default.temporaryDirectory.appendingPathComponent("\(stamp).err").path

        var env = ProcessInfo.processInfo.environment
        env["METRICS_PORT"] = "0"
        for (key, value) in environment { env[key] = value }
        let argv = [path] + arguments
        let envp = env.map { "\($0.key)=\($0.value)" }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        var child: pid_t = 0
        let result = Self.withCStrings(argv) { cArgv in
            Self.withCStrings(envp) { cEnvp in posix_spawn(&child, path, &actions, nil, cArgv, cEnvp) }
        }
        guard result == 0 else {
            throw Failure(description: "posix_spawn \(path): \(String(cString: strerror(result)))")
        }
        pid = child
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            waitpid(pid, &raw, 0)
        }
    }

    /// The built executable named `product`: it sits next to the test bundle in the build folder.
    static func executableURL(_ product: String) -> URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = bundle.deletingLastPathComponent()
        // swift-testing on Linux may run from inside `<Package>PackageTests.xctest`; the products sit beside it.
        if folder.lastPathComponent.hasSuffix(".xctest") { folder = folder.deletingLastPathComponent() }
        return folder.appendingPathComponent(product)
    }

    /// The exit status if the process has ended, reaping it; `nil` while it runs.
    var exitStatus: ExitStatus? {
        lock.lock()
        defer { lock.unlock() }
        if let status { return status }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
        let code = raw & 0x7f
        status = code == 0 ? .exited((raw >> 8) & 0xff) : .signalled(code)
        return status
    }

    /// Sends `signal` (e.g. `SIGKILL`, `SIGTERM`).
    func send(_ signal: Int32) {
        if exitStatus == nil { kill(pid, signal) }
    }

    /// Waits until the process ends or `limit` passes; throws with its output on timeout.
    @discardableResult
    func waitForExit(within limit: Duration = .seconds(120)) async throws -> ExitStatus {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let status = exitStatus { return status }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure(description: "\(name) did not exit within \(limit)\n\(outputSummary)")
    }

    /// Runs to completion and requires exit code 0.
    func expectSuccess(within limit: Duration = .seconds(120)) async throws {
        let status = try await waitForExit(within: limit)
        guard status == .exited(0) else {
            throw Failure(description: "\(name) ended with \(status)\n\(outputSummary)")
        }
    }

    /// Waits until standard output or error contains `text`; throws with the output when the process ends first.
    func waitForOutput(_ text: String, within limit: Duration = .seconds(60)) async throws {
        try await waitUntil("'\(text)' in its output", within: limit, every: .milliseconds(50)) {
            stdout.contains(text) || stderr.contains(text)
        }
    }

    /// Checks `condition` every `interval` until it holds (the shared `waitUntil`); throws with this process's output
    /// when the process ends first or `limit` passes.
    func waitUntil(
        _ what: String, within limit: Duration = .seconds(120), every interval: Duration = .milliseconds(200),
        _ condition: () async throws -> Bool
    ) async throws {
        do {
            try await StreamKitTestSupport.waitUntil(what, within: limit, every: interval) {
                if try await condition() { return true }
                if let status = exitStatus {
                    throw Failure(description: "\(name) ended (\(status)) while waiting for \(what)\n\(outputSummary)")
                }
                return false
            }
        } catch let timeout as WaitTimedOut {
            throw Failure(description: "\(name): \(timeout)\n\(outputSummary)")
        }
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// The last lines of both outputs, for failure messages.
    var outputSummary: String {
        "--- stdout (tail)\n\(stdout.split(separator: "\n").suffix(30).joined(separator: "\n"))\n"
            + "--- stderr (tail)\n\(stderr.split(separator: "\n").suffix(30).joined(separator: "\n"))"
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}
