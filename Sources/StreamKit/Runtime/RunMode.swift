/// How long `StreamApp.run` goes on.
public enum RunMode: Hashable, Sendable {
    /// Until `stop()` is called or the surrounding task is cancelled: a service.
    case continuous
    /// Until the input recorded when the run began is processed: a replay of history.
    ///
    /// When partitions are assigned, the end offsets of the input topics are captured (the high watermark, or
    /// under exactly-once the last stable offset); records produced after that are not part of the backtest. The
    /// run processes every assigned partition up to its captured end, then drains the app's repartition topics
    /// (checkpointing, so that what it wrote there is readable, until they hold nothing unread), then closes
    /// every open window (the watermark itself is not moved, so a later run over newer records of the same app
    /// finds them on time; a later record for a window closed this way opens it again), takes a last checkpoint
    /// and returns. It
    /// never waits for an idle time. `AsyncSequence` sources are read to their end.
    case backtest
    /// Until no record has arrived for `idle` (counted once the consumer has partitions); then every open window
    /// closes and a last checkpoint is taken. For inputs that are still being written while the app runs (a demo
    /// that produces and processes at once), where no end offset is known in advance.
    case untilIdle(Duration)
}

extension StreamApp {
    /// Runs the pipeline: consumes the input topics, processes batches, produces, checkpoints.
    ///
    /// Returns after a final checkpoint when `stop()` is called or the task is cancelled (`.continuous`),
    /// or when the input is exhausted (`.backtest`, `.untilIdle`). Throws configuration and broker errors, and
    /// record failures the error policy says to stop on; offsets of unprocessed records are then not committed.
    /// A rebalance never ends the run: revoked partitions are checkpointed before they are released, and under
    /// exactly-once a transaction that cannot commit is aborted and its records processed again.
    /// `status` follows the run: `.starting`, `.running` once partitions are assigned and restored,
    /// `.stopping`, then `.stopped` or `.failed`.
    ///
    /// - Parameters:
    ///   - mode: `.continuous` (a service), `.backtest` or `.untilIdle(_:)`.
    ///   - clock: The wall clock for checkpoint intervals, lag measurements and idle window closing.
    public func run(mode: RunMode = .continuous, clock: some Clock<Duration> = ContinuousClock()) async throws {
        defer { isStopRequested.store(false, ordering: .releasing) }
        let runtime = AppRuntime(app: self, clock: clock)
        try await runtime.run(mode: mode)
    }
}
