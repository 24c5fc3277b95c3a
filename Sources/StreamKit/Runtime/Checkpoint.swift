/// The checkpoint sequence, the one copy the runtime and `PipelineHarness` both run.
///
/// 1. The sinks flush, each told the offsets its rows cover.
/// 2. The producer flushes: every output record sent so far is delivered.
/// 3. The changelogs of every store changed since the last checkpoint are written and flushed. They go out only
///    once the outputs are delivered: at least once, a crash in between must not leave a restored state saying
///    a window was emitted whose output was lost.
/// 4. The offsets are committed: in the open transaction under exactly-once, else by the consumer.
struct Checkpoint {
    /// The next offset of every input partition the checkpoint covers.
    var offsets: [TopicPartition: Int64]
    /// The app's group (the sinks store offsets under it).
    var group: String

    /// Runs steps 1–3; the caller commits the offsets (step 4) its own way.
    func flush(
        engine: PipelineEngine, sinks: [any AnySinkFlusher], producer: any BrokerProducer, metrics: AppMetrics
    ) async throws {
        let sinkCheckpoint = SinkCheckpoint(group: group, nextOffsets: offsets)
        for sink in sinks {
            let began = ContinuousClock.now
            try await sink.flush(checkpoint: sinkCheckpoint)
            metrics.recordSinkFlush(sink: sink.name, duration: began.duration(to: .now))
        }
        try await Self.flush(producer, metrics: metrics)
        let changelogs = try engine.drainChangelogs(now: .now)
        guard !changelogs.isEmpty else { return }
        for record in changelogs { try producer.send(record) }
        try await Self.flush(producer, metrics: metrics)
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
