import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A program the tests run as a separate process: started with `posix_spawnp`, its output in files, waited for
/// with `waitpid` without blocking a thread.
///
/// Every test process goes through here. Foundation's `Process` and `system` are avoided on purpose: their pipes
/// are inherited by children that other tests start meanwhile (a scratch PostgreSQL, a registry double), so a
/// read "to end of file" waited for a stranger to exit, and `waitUntilExit` can miss an exit on Linux. The child
/// gets only its three standard descriptors (`closefrom(3)`, glibc 2.34 and later), and the pipe this class may keep
/// is close-on-exec.
package final class ChildProcess: @unchecked Sendable {
    // @unchecked Sendable: `pid`, the paths and `lifeline` are set once in init; `status` is only touched under
    // `lock`.

    /// How the process ended.
    package enum ExitStatus: Equatable, Sendable {
        case exited(Int32)
        case signalled(Int32)
    }

    /// What the process reads on standard input.
    package enum Input: Sendable {
        /// `/dev/null`.
        case nothing
        /// This text, then end of file.
        case text(String)
        /// A pipe that stays open until ``closeInput()`` or until this object goes, so a child that exits at the
        /// end of its input also goes when the tests die.
        case lifeline
    }

    /// The process did not start, failed or timed out; the description carries its output.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String

        package init(description: String) {
            self.description = description
        }
    }

    /// A short name for messages (the program, or the example's product name).
    package let name: String
    package let pid: pid_t
    package let stdoutPath: String
    package let stderrPath: String
    private var lifeline: Int32 = -1
    private let lock = NSLock()
    private var status: ExitStatus?

    /// Starts `program` (a path, or a name looked up in `PATH`) with `arguments`, adding `environment` to this
    /// process's environment.
    package init(
        _ program: String, _ arguments: [String], environment: [String: String] = [:], input: Input = .nothing,
        name: String? = nil
    ) throws {
        self.name = name ?? (program as NSString).lastPathComponent
        let stamp = "\(self.name)-\(UInt32.random(in: 0...UInt32.max))"
        let folder = FileManager.default.temporaryDirectory
        stdoutPath = folder.appendingPathComponent("\(stamp).out").path
        stderrPath = folder.appendingPathComponent("\(stamp).err").path

        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var inputPath: String?
        var lifelineRead: Int32 = -1
        switch input {
        case .nothing:
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .text(let text):
            let path = folder.appendingPathComponent("\(stamp).in").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            inputPath = path
            posix_spawn_file_actions_addopen(&actions, 0, path, O_RDONLY, 0)
        case .lifeline:
            var ends: [Int32] = [-1, -1]
            guard GNUCalls.pipe2(&ends, O_CLOEXEC) == 0 else {
                throw Failure(description: "pipe2: \(String(cString: strerror(errno)))")
            }
            lifelineRead = ends[0]
            lifeline = ends[1]
            posix_spawn_file_actions_adddup2(&actions, lifelineRead, 0)
        }
        defer {
            if let inputPath { try? FileManager.default.removeItem(atPath: inputPath) }
            if lifelineRead >= 0 { close(lifelineRead) }
        }
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        _ = GNUCalls.addCloseFrom?(&actions, 3)

        var child: pid_t = 0
        let argv = [program] + arguments
        let envp = env.map { "\($0.key)=\($0.value)" }
        let result = Self.withCStrings(argv) { cArgv in
            Self.withCStrings(envp) { cEnvp in posix_spawnp(&child, program, &actions, nil, cArgv, cEnvp) }
        }
        guard result == 0 else {
            if lifeline >= 0 { close(lifeline) }
            throw Failure(description: "posix_spawnp \(program): \(String(cString: strerror(result)))")
        }
        pid = child
    }

    deinit {
        closeInput()
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            waitpid(pid, &raw, 0)
        }
    }

    /// Closes the ``Input/lifeline`` pipe: the child reads end of file.
    package func closeInput() {
        lock.lock()
        defer { lock.unlock() }
        if lifeline >= 0 {
            close(lifeline)
            lifeline = -1
        }
    }

    /// The exit status if the process has ended, reaping it; `nil` while it runs.
    package var exitStatus: ExitStatus? {
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
    package func send(_ signal: Int32) {
        if exitStatus == nil { kill(pid, signal) }
    }

    /// Waits until the process ends or `limit` passes; throws with its output on timeout.
    @discardableResult
    package func waitForExit(within limit: Duration = .seconds(120)) async throws -> ExitStatus {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let status = exitStatus { return status }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure(description: "\(name) did not exit within \(limit)\n\(outputSummary)")
    }

    /// Runs to completion and requires exit code 0.
    package func expectSuccess(within limit: Duration = .seconds(120)) async throws {
        let status = try await waitForExit(within: limit)
        guard status == .exited(0) else {
            throw Failure(description: "\(name) ended with \(status)\n\(outputSummary)")
        }
    }

    /// Waits until standard output or error contains `text`; throws with the output when the process ends first.
    package func waitForOutput(_ text: String, within limit: Duration = .seconds(60)) async throws {
        try await waitUntil("'\(text)' in its output", within: limit, every: .milliseconds(50)) {
            stdout.contains(text) || stderr.contains(text)
        }
    }

    /// Checks `condition` every `interval` until it holds (the shared `waitUntil`); throws with this process's output
    /// when the process ends first or `limit` passes.
    package func waitUntil(
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

    package var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    package var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// The last lines of both outputs, for failure messages.
    package var outputSummary: String {
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

/// Two glibc calls that Swift's `Glibc` module leaves out (they are declared only under `_GNU_SOURCE`), looked up
/// by name.
private enum GNUCalls {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// `pipe2(2)`: both ends close-on-exec from the start, so no child spawned meanwhile inherits them.
    static let pipe2: Pipe2 = unsafeBitCast(dlsym(nil, "pipe2")!, to: Pipe2.self)
    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34 and later): the child closes every descriptor from
    /// the given one up.
    static let addCloseFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: AddCloseFrom.self)
    }
}
