import Logging

/// Records that arrived after their window had closed, logged as one warning per window operator at most every
/// ``interval``, with how many and how late, beside the `streamkit_late_records_total` metric. A late record is
/// dropped (or goes to the window's `lateRecords` frame); it is never silent.
struct LateRecordLog {
    /// The least time between two warnings.
    static let interval: Duration = .seconds(10)
    private var pending: [String: LateTally] = [:]
    private var lastWarning: Duration?

    /// Adds the late records a batch's tasks counted, by window name.
    mutating func note(_ late: [String: LateTally]) {
        pending.merge(late) { $0.merged(with: $1) }
    }

    /// Logs a warning per window with late records since the last one, when at least ``interval`` has passed.
    mutating func warnIfDue(now: Duration, logger: Logger) {
        guard !pending.isEmpty else { return }
        if let lastWarning, now - lastWarning < Self.interval { return }
        lastWarning = now
        warn(logger: logger)
    }

    /// Logs what is pending now (when the app stops).
    mutating func warn(logger: Logger) {
        for window in pending.keys.sorted() {
            let tally = pending[window]!
            logger.warning(
                "records arrived after their window closed (behind the watermark by more than the grace); not counted in the window",
                metadata: [
                    "window": "\(window)", "late_records": "\(tally.count)",
                    "max_lateness": "\(Duration.milliseconds(tally.maxLateness))",
                ])
        }
        pending = [:]
    }
}
