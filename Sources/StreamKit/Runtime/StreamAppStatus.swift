import Synchronization

/// What an app's run loop is doing, for liveness and readiness checks.
///
/// `StreamApp.run` keeps it up to date; any thread may read it at any time, for instance an HTTP handler
/// answering `/health` and `/ready` (StreamKitOperations serves these). Reading costs one uncontended lock.
///
///     let status = app.status.snapshot
///     if status.isReady(maxLag: 10_000) { … }
public final class StreamAppStatus: Sendable {
    /// The stage of an app's life.
    public enum Phase: String, Hashable, Sendable, CustomStringConvertible {
        /// Made, `run()` not called yet.
        case created
        /// `run()` is creating topics, checking the state layout and joining the consumer group; no
        /// partition has been assigned yet.
        case starting
        /// Processing: partitions were assigned (or the app reads no topics).
        case running
        /// Asked to stop: finishing the batch in hand, flushing, checkpointing, leaving the group.
        case stopping
        /// `run()` returned normally.
        case stopped
        /// `run()` threw; `Snapshot.failure` says why.
        case failed

        public var description: String { rawValue }
    }

    /// The status at one moment.
    public struct Snapshot: Hashable, Sendable {
        /// The stage of the app's life.
        public var phase: Phase
        /// The input partitions this instance owns, sorted.
        public var assignedPartitions: [TopicPartition]
        /// Whether the state of every assigned partition has been restored from its changelog (and the
        /// source sought to offsets stored by sinks). `false` from an assignment until its restore is done.
        public var isRestored: Bool
        /// Records not yet read per assigned partition, as last measured; a partition is missing until its
        /// first measurement after assignment. The runtime measures after each assignment and then about once
        /// a second.
        public var lag: [TopicPartition: Int64]
        /// Input partitions paused because they ran ahead of the others in event time (`StreamApp.timeAlignment`),
        /// sorted; they resume when the others catch up.
        public var pausedForAlignment: [TopicPartition] = []
        /// Why the app failed (the error's description), when `phase` is `.failed`.
        public var failure: String?

        /// Makes a snapshot.
        public init(
            phase: Phase, assignedPartitions: [TopicPartition] = [], isRestored: Bool = false,
            lag: [TopicPartition: Int64] = [:], failure: String? = nil
        ) {
            self.phase = phase
            self.assignedPartitions = assignedPartitions
            self.isRestored = isRestored
            self.lag = lag
            self.failure = failure
        }

        /// Whether the process should be considered alive: everything but a failed run loop.
        public var isLive: Bool { phase != .failed }

        /// The largest lag over the assigned partitions, or `nil` while any of them is unmeasured.
        public var maximumLag: Int64? {
            var largest: Int64 = 0
            for partition in assignedPartitions {
                guard let lag = lag[partition] else { return nil }
                largest = max(largest, lag)
            }
            return largest
        }

        /// Whether the app is ready for traffic: running, every assigned partition restored, and caught up
        /// (no assigned partition more than `maxLag` records behind its end, as last measured).
        ///
        /// An instance whose group gave it no partition (more instances than partitions) stays `.starting`
        /// and so is not ready: it has nothing to do.
        public func isReady(maxLag: Int64) -> Bool {
            guard phase == .running, isRestored, let lag = maximumLag else { return false }
            return lag <= maxLag
        }
    }

    private let state = Mutex(Snapshot(phase: .created))

    /// Makes a status in phase `.created`.
    public init() {}

    /// The current status.
    public var snapshot: Snapshot { state.withLock { $0 } }

    /// Changes the status (the run loop does this).
    package func update(_ body: (inout Snapshot) -> Void) {
        state.withLock { body(&$0) }
    }
}
