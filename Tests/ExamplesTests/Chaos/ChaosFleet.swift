#if canImport(Glibc)
    import Glibc
#endif

/// The worker processes of one chaos run, by instance id: the one running now and every earlier incarnation,
/// which exits the driver did not cause, and what graceful stops ended with.
///
/// Used by the driver's task only.
final class ChaosFleet {
    /// How long a SIGTERMed worker may take to checkpoint and leave before it is killed (and that noted).
    static let gracefulLimit: Duration = .seconds(45)

    private let arguments: (String) -> [String]
    private let transcript: ChaosTranscript
    private var running: [String: ExampleProcess] = [:]
    private var incarnations: [(id: String, process: ExampleProcess)] = []
    /// Things that went wrong with the processes themselves: exits nobody asked for, graceful stops that failed.
    private(set) var anomalies: [String] = []
    /// Restarts of processes that ended by themselves still allowed: enough to get past one bad moment, few
    /// enough that instances which keep failing (fencing each other, say) do not churn until the time limit.
    private var restartBudget = 6

    /// - Parameter arguments: The worker's arguments for an instance id.
    init(transcript: ChaosTranscript, arguments: @escaping (String) -> [String]) {
        self.transcript = transcript
        self.arguments = arguments
    }

    var runningIDs: [String] { running.keys.sorted() }

    /// Whether workers run but none has been given partitions yet (none has logged an assignment): the group is
    /// still forming. The development broker can take a while there after a whole fleet was restarted.
    var isAwaitingAssignment: Bool {
        !running.isEmpty && running.values.allSatisfy { !$0.stderr.contains("partitions assigned") }
    }

    func start(_ id: String) throws {
        if let process = running[id] {
            anomalies.append("start \(id) while pid \(process.pid) still runs")
        }
        let process = try ExampleProcess("streamkit-chaos-worker", arguments(id))
        running[id] = process
        incarnations.append((id, process))
        transcript.note("start \(id): pid \(process.pid)")
    }

    /// SIGTERM, then waits for the exit, which must be 0; kills the process if it takes too long.
    func terminate(_ id: String) async throws {
        guard let process = running.removeValue(forKey: id) else {
            transcript.note("SIGTERM \(id): not running")
            return
        }
        // A SIGTERM before the worker has installed its handler would kill it outright (on a loaded machine a
        // restart can take seconds to get there): wait for its "started" line first.
        do {
            try await process.waitForOutput("started pid", within: .seconds(20))
        } catch is ExampleProcess.Failure {
            // Ended or still silent: the SIGTERM below and the exit status tell what happened.
        }
        process.send(SIGTERM)
        let status: ExampleProcess.ExitStatus
        do {
            status = try await process.waitForExit(within: Self.gracefulLimit)
        } catch {
            process.send(SIGKILL)
            status = try await process.waitForExit(within: .seconds(30))
            anomalies.append("\(id) (pid \(process.pid)) did not stop within \(Self.gracefulLimit) of SIGTERM")
        }
        transcript.note("SIGTERM \(id): pid \(process.pid) ended \(status)")
        if status != .exited(0) { anomalies.append("\(id) (pid \(process.pid)) ended \(status) after SIGTERM") }
    }

    func kill(_ id: String) async throws {
        guard let process = running.removeValue(forKey: id) else {
            transcript.note("SIGKILL \(id): not running")
            return
        }
        process.send(SIGKILL)
        let status = try await process.waitForExit(within: .seconds(30))
        transcript.note("SIGKILL \(id): pid \(process.pid) ended \(status)")
    }

    func perform(_ action: ChaosSchedule.Action) async throws {
        switch action {
        case .start(let id): try start(id)
        case .terminate(let id): try await terminate(id)
        case .kill(let id): try await kill(id)
        }
    }

    /// Notes, and forgets, running processes that ended by themselves since the last look; returns their ids.
    @discardableResult
    func collectUnexpectedExits() -> [String] {
        var ended: [String] = []
        for (id, process) in running {
            guard let status = process.exitStatus else { continue }
            running[id] = nil
            ended.append(id)
            let cause = process.stderr.split(separator: "\n").last { $0.contains("error") || $0.contains("fatal") }
            let line = "\(id) (pid \(process.pid)) ended by itself: \(status)" + (cause.map { " — \($0)" } ?? "")
            anomalies.append(line)
            transcript.note(line)
        }
        return ended.sorted()
    }

    /// Restarts the processes that ended by themselves since the last look, while the restart budget lasts.
    func restartUnexpectedExits() throws {
        for id in collectUnexpectedExits() {
            guard restartBudget > 0 else {
                transcript.note("not restarting \(id): the budget of restarts after unexpected exits is spent")
                continue
            }
            restartBudget -= 1
            try start(id)
        }
    }

    /// Gracefully stops every running process, one after another.
    func terminateAll() async throws {
        for id in runningIDs { try await terminate(id) }
    }

    /// Kills whatever still runs (after a failure of the driver itself).
    func killAll() async {
        for id in runningIDs { try? await kill(id) }
    }

    /// The last `lines` lines of standard error of every incarnation, oldest first.
    func stderrTails(lines: Int = 25) -> String {
        incarnations.map { id, process in
            let tail = process.stderr.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines)
            return "--- \(id) pid \(process.pid) (\(process.exitStatus.map { "\($0)" } ?? "running")) stderr tail:\n"
                + tail.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
