import Synchronization

/// What the persistence stage has read and handed to the database, for the live table's footer and the
/// closing line.
final class PersistenceCounters: Sendable {
    private struct Counts {
        var read = 0
        var accepted = 0
    }

    private let counts = Mutex(Counts())

    func countRead() { counts.withLock { $0.read += 1 } }
    func countAccepted() { counts.withLock { $0.accepted += 1 } }

    /// Records read from the input topics.
    var read: Int { counts.withLock { $0.read } }
    /// Events that passed the checks and went to the table.
    var accepted: Int { counts.withLock { $0.accepted } }
    /// Records the checks sent to the dead-letter topic instead (a record whose key is not UTF-8 is dead-lettered
    /// before it is counted as read).
    var rejected: Int { counts.withLock { $0.read - $0.accepted } }
}
