import Synchronization

/// The checkpoint sequence, the one copy the runtime and `PipelineHarness` both run.
///
/// 1. The sinks flush, each told the offsets its rows cover.
/// 2. The producer flushes: every output record sent so far is delivered.
/// 3. The changelogs of every store changed since the last checkpoint are written and flushed. They go out only
///    once the outputs are delivered: at least once, a crash in between must not leave a restored state saying
///    a window was emitted whose output was lost.
/// 4. The offsets are committed: in the open transaction under exactly-once, else by the consumer.
///
/// At least once the runtime lets step 1 overlap with processing: ``start(engine:sinks:producer:metrics:overlapping:)``
/// takes the sinks' batches and the changelogs as they are at the checkpoint, and the ``PendingCheckpoint`` it
/// returns writes the changelogs once the sinks' writes finished in the background.
struct Checkpoint {
    /// The next offset of every input partition the checkpoint covers.
    var offsets: [TopicPartition: Int64]
    /// The app's group (the sinks store offsets under it).
    var group: String

    /// Runs steps 1–3; the caller commits the offsets (step 4) its own way.
    func flush(
        engine: PipelineEngine, sinks: [any AnySinkFlusher], producer: any BrokerProducer, metrics: AppMetrics
    ) async throws {
        let pending = try await start(engine: engine, sinks: sinks, producer: producer, metrics: metrics)
        try await pending.finish(producer: producer, metrics: metrics)
    }

    /// Starts steps 1–3: with `overlapping`, the sinks that can hand over their batch (``StreamSink/detachFlush(checkpoint:)``)
    /// do, and their writes start in the background; the other sinks flush now. Then the producer flushes and the
    /// changed changelogs are taken. ``PendingCheckpoint/finish(producer:metrics:)`` waits for the writes and
    /// writes the changelogs.
    func start(
        engine: PipelineEngine, sinks: [any AnySinkFlusher], producer: any BrokerProducer, metrics: AppMetrics,
        overlapping: Bool = false
    ) async throws -> PendingCheckpoint {
        let began = ContinuousClock.now
        let sinkCheckpoint = SinkCheckpoint(group: group, nextOffsets: offsets)
        var detached: [(sink: String, body: @Sendable () async throws -> Void)] = []
        for sink in sinks {
            if overlapping, let write = sink.detachFlush(checkpoint: sinkCheckpoint) {
                if let body = write.body { detached.append((sink.name, body)) }
                continue
            }
            let began = ContinuousClock.now
            try await sink.flush(checkpoint: sinkCheckpoint)
            metrics.recordSinkFlush(sink: sink.name, duration: began.duration(to: .now))
        }
        try await Self.flush(producer, metrics: metrics)
        let changelogs = try engine.drainChangelogs(now: .now)
        let isDone = PendingCheckpoint.Flag()
        let writes: PendingCheckpoint.Writes? =
            detached.isEmpty
            ? nil
            : Task { [detached] in
                defer { isDone.flag.store(true, ordering: .releasing) }
                var durations: [(sink: String, duration: Duration)] = []
                for (sink, body) in detached {
                    let began = ContinuousClock.now
                    try await body()
                    durations.append((sink, began.duration(to: .now)))
                }
                return durations
            }
        return PendingCheckpoint(
            began: began, offsets: offsets, changelogs: changelogs, writes: writes, writesEnded: isDone)
    }

    /// Waits until everything sent is delivered, counting a failed delivery.
    static func flush(_ producer: any BrokerProducer, metrics: AppMetrics) async throws {
        do {
            try await producer.flush()
        } catch {
            metrics.recordDeliveryError()
            throw error
        }
    }
}

/// A checkpoint whose sink writes may still run in the background: what is left of steps 1–3.
struct PendingCheckpoint {
    /// The sinks' writes, each returning its sink's name and how long it took.
    typealias Writes = Task<[(sink: String, duration: Duration)], any Error>

    /// When the checkpoint started.
    let began: ContinuousClock.Instant
    /// The next offset of every input partition the checkpoint covers.
    private(set) var offsets: [TopicPartition: Int64]
    /// The changelog records of the stores as they were at the checkpoint.
    private(set) var changelogs: [RawRecord]
    /// The writes in the background, or `nil` when every sink flushed in place.
    let writes: Writes?
    /// Set when the writes ended, in success or failure.
    let writesEnded: Flag

    /// A flag the background writes set and the loop reads without waiting.
    final class Flag: Sendable {
        let flag = Atomic(false)
    }

    /// Whether sink writes run in the background.
    var isWriting: Bool { writes != nil }

    /// Whether the background writes still run: ``finish(producer:metrics:)`` would wait for them.
    var isBusy: Bool { writes != nil && !writesEnded.flag.load(ordering: .acquiring) }

    /// This checkpoint without the offsets and changelog records of the tasks numbered `numbers`: for partitions
    /// lost meanwhile, whose work is dropped, and whose tasks (serving every topic's partition of that number) are
    /// rebuilt from the changelogs of the last commit.
    mutating func drop(tasks numbers: Set<Int>) {
        offsets = offsets.filter { !numbers.contains($0.key.partition) }
        changelogs.removeAll { numbers.contains($0.partition ?? -1) }
    }

    /// Waits for the sinks' writes, then writes the changelogs and flushes the producer.
    func finish(producer: any BrokerProducer, metrics: AppMetrics) async throws {
        if let writes {
            for (sink, duration) in try await writes.value { metrics.recordSinkFlush(sink: sink, duration: duration) }
        }
        guard !changelogs.isEmpty else { return }
        for record in changelogs { try producer.send(record) }
        try await Checkpoint.flush(producer, metrics: metrics)
    }
}
