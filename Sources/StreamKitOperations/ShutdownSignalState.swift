import UnixSignals

/// What a StreamKit program does on each termination signal: the first starts a graceful shutdown, the next
/// exits at once (the operator has decided not to wait for the final checkpoint).
struct ShutdownSignalState {
    /// What to do about one signal.
    enum Action: Hashable {
        /// Stop polling, finish the batch, flush, checkpoint, leave the group.
        case shutDownGracefully
        /// Exit the process now with this status (128 plus the signal number, as shells report it).
        case exit(status: Int32)
    }

    private var isShuttingDown = false

    /// The action for a signal received now.
    mutating func on(_ signal: UnixSignal) -> Action {
        guard isShuttingDown else {
            isShuttingDown = true
            return .shutDownGracefully
        }
        return .exit(status: 128 + signal.rawValue)
    }
}
