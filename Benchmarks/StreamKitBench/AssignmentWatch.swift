import Foundation
import StreamKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Notes when an app is first assigned partitions, so that a pipeline is timed from the moment it can fetch, as
/// the raw consumer is timed from its `assign`: both then include the first fetch.
///
/// A thread of its own polls `app.status` every 200 µs (not a task: a sleeping task on a loaded machine wakes late).
final class AssignmentWatch: Sendable {
    private let assigned = Mutex<(instant: ContinuousClock.Instant, cpu: Duration)?>(nil)
    private let running = Atomic<Bool>(true)

    init(_ app: StreamApp) {
        Thread { [self] in
            while running.load(ordering: .relaxed) {
                if !app.status.snapshot.assignedPartitions.isEmpty {
                    assigned.withLock { $0 = (.now, Machine.cpuTime) }
                    return
                }
                usleep(200)
            }
        }.start()
    }

    /// When partitions were first assigned, and the process's CPU time then; `nil` if they were not (yet).
    var assignment: (instant: ContinuousClock.Instant, cpu: Duration)? { assigned.withLock { $0 } }

    /// Stops watching.
    func stop() { running.store(false, ordering: .relaxed) }
}
