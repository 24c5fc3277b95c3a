import Foundation

/// A serial executor that runs every job on one dedicated thread.
///
/// `TimescaleConnection` is an actor on this executor, so each blocking libpq call (connect, `PQexecParams`,
/// `PQputCopyData`, ending a COPY) runs on this thread and never occupies a thread of the cooperative pool.
/// One executor per connection: a slow query on one connection never delays another.
final class LibPQThreadExecutor: SerialExecutor, @unchecked Sendable {
    // @unchecked Sendable: `jobs` and `isShutDown` are read and written only while holding `condition`;
    // everything else is immutable after `init`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var isShutDown = false

    init(name: String) {
        let thread = Thread { [self] in runLoop() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread finish the jobs already queued, then exit. The thread's closure is what keeps the
    /// executor alive until then.
    func shutDown() {
        condition.lock()
        isShutDown = true
        condition.signal()
        condition.unlock()
    }

    private func runLoop() {
        var batch: [UnownedJob] = []
        while true {
            condition.lock()
            while jobs.isEmpty && !isShutDown { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            swap(&batch, &jobs)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedSerialExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
