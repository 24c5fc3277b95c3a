import Synchronization

/// The gateway's memory of recently accepted order ids, so that a retried order is written exactly once.
///
/// A request first *claims* its order id. The first claim writes the order; a retry with the same body gets the
/// first attempt's receipt back (`.replay`) and writes nothing; a request reusing the id with a different body is
/// a `.conflict`. A retry that arrives while the first attempt is still being written waits for its outcome: if
/// that attempt fails (`release`), one waiter takes over the claim, so a failed write can be retried.
///
/// The cache is bounded: it remembers the last `capacity` accepted ids and forgets the oldest first. An order
/// retried after that many newer ones, or to another gateway instance, or after a restart, is written again;
/// size the capacity to the retry horizon of the clients (at 1 000 orders/s, 100 000 ids cover 100 s).
final class IdempotencyCache<Receipt: Sendable>: Sendable {
    enum Claim {
        /// The caller owns the id: write the order, then `complete` or `release`.
        case claimed
        /// Already accepted with the same body: answer with the first receipt, write nothing.
        case replay(Receipt)
        /// Already accepted with a different body.
        case conflict
    }

    private enum Entry {
        case inFlight(fingerprint: Int, waiters: [CheckedContinuation<Claim?, Never>])
        case accepted(fingerprint: Int, receipt: Receipt)
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Accepted ids, oldest first from `head`; the prefix before `head` is already forgotten.
        var accepted: [String] = []
        var head = 0
    }

    let capacity: Int
    // Continuations are only stored and resumed under the lock; resuming runs no code synchronously.
    private let state = Mutex(State())

    init(capacity: Int) {
        precondition(capacity > 0, "the idempotency cache needs a positive capacity")
        self.capacity = capacity
    }

    /// Claims `id` for a request whose body hashes to `fingerprint`, waiting while another request holds it.
    func claim(_ id: String, fingerprint: Int) async -> Claim {
        while true {
            let claim: Claim? = await withCheckedContinuation { continuation in
                state.withLock { state in
                    switch state.entries[id] {
                    case nil:
                        state.entries[id] = .inFlight(fingerprint: fingerprint, waiters: [])
                        continuation.resume(returning: .claimed)
                    case .accepted(let accepted, let receipt):
                        continuation.resume(returning: accepted == fingerprint ? .replay(receipt) : .conflict)
                    case .inFlight(let holder, var waiters):
                        waiters.append(continuation)
                        state.entries[id] = .inFlight(fingerprint: holder, waiters: waiters)
                    }
                }
            }
            if let claim { return claim }
        }
    }

    /// Records that the claimed `id` was written; waiting retries get `receipt`.
    func complete(_ id: String, receipt: Receipt) {
        state.withLock { state in
            guard case .inFlight(let fingerprint, let waiters) = state.entries[id] else { return }
            state.entries[id] = .accepted(fingerprint: fingerprint, receipt: receipt)
            state.accepted.append(id)
            while state.accepted.count - state.head > capacity {
                state.entries[state.accepted[state.head]] = nil
                state.head += 1
            }
            if state.head > capacity {
                state.accepted.removeFirst(state.head)
                state.head = 0
            }
            for waiter in waiters { waiter.resume(returning: nil) }
        }
    }

    /// Gives up the claim on `id` after a failed write, so that a retry can write it.
    func release(_ id: String) {
        state.withLock { state in
            guard case .inFlight(_, let waiters) = state.entries[id] else { return }
            state.entries[id] = nil
            for waiter in waiters { waiter.resume(returning: nil) }
        }
    }

    /// How many accepted ids are remembered.
    var count: Int { state.withLock { $0.accepted.count - $0.head } }
}
