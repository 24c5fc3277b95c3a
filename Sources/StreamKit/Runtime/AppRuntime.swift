import Logging

/// How long `StreamApp.run` goes on.
public enum RunMode: Hashable, Sendable {
    /// Until the surrounding task is cancelled: a service.
    case continuous
    /// Until no record has arrived for `idle` (counted once the consumer has partitions); then every open
    /// window closes (as if the watermark reached the end of time) and a last checkpoint is taken. For
    /// replaying a recorded input deterministically.
    case backtest(idle: Duration)
}

extension StreamApp {
    /// Runs the pipeline: consumes the input topics, processes batches, produces, checkpoints.
    ///
    /// Returns after a final checkpoint when `stop()` is called or the task is cancelled (`.continuous`),
    /// or when the input is exhausted (`.backtest`). Throws configuration and broker errors, and record
    /// failures the error policy says to stop on; offsets of unprocessed records are then not committed.
    /// `status` follows the run: `.starting`, `.running` once partitions are assigned and restored,
    /// `.stopping`, then `.stopped` or `.failed`.
    ///
    /// - Parameter clock: The wall clock for checkpoint intervals, lag measurements and idle window closing.
    public func run(mode: RunMode = .continuous, clock: some Clock<Duration> = ContinuousClock()) async throws {
        defer { isStopRequested.store(false, ordering: .releasing) }
        let runtime = AppRuntime(app: self, clock: clock)
        try await runtime.run(mode: mode)
    }
}

/// Drives a `PipelineEngine` with a broker: the async edge of the app.
final class AppRuntime<C: Clock<Duration>> {
    private let app: StreamApp
    private let clock: C
    private let engine: PipelineEngine
    private let metrics: AppMetrics
    private let status: StreamAppStatus
    private var logger: Logger
    private let start: C.Instant
    private var assigned: Set<TopicPartition> = []
    private var pendingMetadata: RawRecord?
    private var failures = FailedRecordLog()
    private var lastLagMeasurement: Duration = .zero
    /// How often the lag of the assigned partitions is measured, besides right after each assignment.
    private static var lagInterval: Duration { .seconds(1) }

    init(app: StreamApp, clock: C) {
        self.app = app
        self.clock = clock
        engine = PipelineEngine(app: app)
        metrics = AppMetrics(app: app)
        status = app.status
        logger = app.logger
        start = clock.now
    }

    private var elapsed: Duration { start.duration(to: clock.now) }
    private var isExactlyOnce: Bool { app.guarantee == .exactlyOnce }

    func run(mode: RunMode) async throws {
        status.update { $0 = StreamAppStatus.Snapshot(phase: .starting) }
        do {
            try await runLoop(mode: mode)
        } catch let cancellation as CancellationError {
            // Cancelled while starting or during the final checkpoint: stopped, not failed.
            status.update { $0 = StreamAppStatus.Snapshot(phase: .stopped) }
            throw cancellation
        } catch {
            status.update {
                $0 = StreamAppStatus.Snapshot(phase: .failed, failure: String(describing: error))
            }
            logger.error("stopped by a failure", metadata: ["error": "\(error)"])
            throw error
        }
        status.update { $0 = StreamAppStatus.Snapshot(phase: .stopped) }
        logger.info("stopped")
    }

    private func runLoop(mode: RunMode) async throws {
        let broker = app.broker
        let metadata = StateFingerprint.metadataTopic(app: app.name)
        try await broker.createTopics(app.graph.topicSpecs + [metadata])
        var stored: [UInt8]? = nil
        try await broker.readToEnd(TopicPartition(topic: metadata.name, partition: 0)) {
            StateFingerprint.storedValue(in: $0, into: &stored)
        }
        pendingMetadata = try StateFingerprint.verify(app.describe(), storedValue: stored, now: .now)

        let consumer = try await broker.makeConsumer(group: app.name, readCommitted: isExactlyOnce)
        let producer = try await broker.makeProducer(transactionalID: isExactlyOnce ? "\(app.name)-producer" : nil)
        let inputTopics = app.graph.inputTopics
        if !inputTopics.isEmpty { try await consumer.subscribe(to: inputTopics) }
        let asyncSources = app.graph.asyncSources
        if !asyncSources.isEmpty { try await installTask(0) }
        let readers = asyncSources.map { $0.start() }
        defer { for reader in readers { reader.cancel() } }
        if isExactlyOnce { try await producer.beginTransaction() }
        if inputTopics.isEmpty {
            status.update {
                $0.phase = .running
                $0.isRestored = true
            }
        }
        logger.info("started", metadata: ["inputs": "\(inputTopics)", "guarantee": "\(app.guarantee)"])

        var sinceCheckpoint = 0
        var lastCheckpoint = elapsed
        var lastRecord = elapsed
        do {
            while !Task.isCancelled {
                if app.isStopRequested.load(ordering: .acquiring) {
                    logger.info("stop requested: finishing the batch in hand")
                    break
                }
                let poll =
                    inputTopics.isEmpty
                    ? BrokerPoll() : try await consumer.poll(maxRecords: 4_096, timeout: .milliseconds(50))
                var sought: Set<TopicPartition> = []
                for event in poll.events {
                    sought.formUnion(try await handle(event, consumer: consumer, producer: producer))
                }
                let now = elapsed
                // Joining a group takes seconds on Kafka; the backtest's idle time counts from the assignment.
                if !poll.events.isEmpty { lastRecord = now }
                engine.setWallTime(now)
                // Records polled before a seek to stored offsets are read again from there.
                let batches = poll.batches.filter { !sought.contains($0.topicPartition) }
                try engine.process(batches, threads: app.processingThreads)
                if !batches.isEmpty {
                    metrics.recordInput(batches)
                    sinceCheckpoint += batches.reduce(0) { $0 + $1.count }
                    lastRecord = now
                }
                var drained = 0
                if let task = engine.tasks[0] {
                    for (index, source) in asyncSources.enumerated() {
                        let count = try source.drain(into: task.context)
                        metrics.recordInput(topic: AppMetrics.asyncSourceTopic(index), count: count)
                        drained += count
                    }
                }
                if drained > 0 {
                    sinceCheckpoint += drained
                    lastRecord = now
                } else if inputTopics.isEmpty {
                    try await clock.sleep(for: .milliseconds(1))
                }
                try engine.signal(.wallClock(now))
                try produceOutputs(with: producer)
                if app.graph.sinks.contains(where: \.isBackpressured) {
                    // A sink that cannot keep up: stop fetching, checkpoint (which flushes it with the
                    // offsets it covers), go on. No unbounded buffering.
                    let partitions = assigned.sorted()
                    try consumer.pause(partitions)
                    try await checkpoint(consumer: consumer, producer: producer)
                    try consumer.resume(partitions)
                    sinceCheckpoint = 0
                    lastCheckpoint = elapsed
                }
                if sinceCheckpoint >= app.checkpointPolicy.records
                    || now - lastCheckpoint >= app.checkpointPolicy.interval
                {
                    try await checkpoint(consumer: consumer, producer: producer)
                    sinceCheckpoint = 0
                    lastCheckpoint = elapsed
                }
                if now - lastLagMeasurement >= Self.lagInterval { await measureLag(consumer) }
                // A backtest ends only after its consumer got partitions: joining a group can take longer than
                // `idle`, and ending before then would read nothing.
                if case .backtest(let idle) = mode, inputTopics.isEmpty || !assigned.isEmpty, poll.batches.isEmpty,
                    drained == 0, asyncSources.allSatisfy(\.isExhausted), now - lastRecord >= idle
                {
                    try engine.signal(.watermark(EventTime(milliseconds: .max)))
                    try produceOutputs(with: producer)
                    break
                }
            }
        } catch is CancellationError {
            // Cancellation is the normal way to stop a service; the final checkpoint follows.
        } catch {
            failures.flush(to: logger)
            if isExactlyOnce { try? await producer.abortTransaction() }
            try? await consumer.close()
            throw error
        }
        status.update { $0.phase = .stopping }
        try await checkpoint(consumer: consumer, producer: producer)
        if isExactlyOnce { try await producer.abortTransaction() }
        try await consumer.close()
        try await producer.close()
        logPartitions("left the group", assigned.sorted())
    }

    /// Produces what the tasks emitted and records their counters.
    private func produceOutputs(with producer: any BrokerProducer) throws {
        let outputs = engine.drainOutputs()
        for record in outputs { try producer.send(record) }
        metrics.recordOutputs(outputs) { failures.noteDeadLetter($0, logger: logger) }
        let counters = engine.drainCounters()
        for (key, count) in counters.failures where key.action == "skip" {
            failures.noteSkipped(count, stage: key.stage)
        }
        metrics.record(counters)
    }

    /// Applies an assignment change; returns the partitions it sought to offsets stored by sinks.
    private func handle(
        _ event: AssignmentEvent, consumer: any BrokerConsumer, producer: any BrokerProducer
    ) async throws -> Set<TopicPartition> {
        var sought: Set<TopicPartition> = []
        switch event {
        case .revoked(let partitions):
            try await checkpoint(consumer: consumer, producer: producer)
            assigned.subtract(partitions)
            let kept = Set(assigned.map(\.partition))
            for partition in Set(partitions.map(\.partition)).subtracting(kept) {
                engine.removeTask(partition: partition)
            }
            metrics.forgetLag(of: partitions)
            let owned = assigned
            status.update {
                $0.assignedPartitions = owned.sorted()
                $0.lag = $0.lag.filter { owned.contains($0.key) }
            }
            logPartitions("partitions revoked", partitions)
        case .assigned(let partitions):
            assigned.formUnion(partitions)
            let owned = assigned
            status.update {
                $0.assignedPartitions = owned.sorted()
                $0.isRestored = false
            }
            for number in Set(partitions.map(\.partition)).sorted() { try await installTask(number) }
            for sink in app.graph.sinks {
                let stored = try await sink.storedOffsets(for: partitions) ?? [:]
                // Under exactly-once the transaction's offsets are the ones that match the restored changelogs. A
                // database sink commits before that transaction, so its offsets are never behind them, and seeking
                // there would skip records the restored state has not seen; the sink skips the values it already
                // stored instead.
                guard !isExactlyOnce else { continue }
                for (partition, offset) in stored {
                    try consumer.seek(partition, to: offset)
                    sought.insert(partition)
                    logger.info(
                        "resuming from the offset stored by a sink",
                        metadata: [
                            "topic": "\(partition.topic)", "partition": "\(partition.partition)", "offset": "\(offset)",
                            "sink": "\(sink.name)",
                        ])
                }
            }
            await measureLag(consumer)
            status.update {
                $0.isRestored = true
                if $0.phase == .starting { $0.phase = .running }
            }
            logPartitions("partitions assigned and restored", partitions)
        }
        return sought
    }

    /// Logs partitions at `.info`, one line per topic.
    private func logPartitions(_ message: Logger.Message, _ partitions: [TopicPartition]) {
        let byTopic = Dictionary(grouping: partitions, by: \.topic)
        for topic in byTopic.keys.sorted() {
            logger.info(
                message,
                metadata: ["topic": "\(topic)", "partitions": "\(byTopic[topic]!.map(\.partition).sorted())"])
        }
    }

    /// Builds the task of a partition number, restores its stores from their changelogs, installs it.
    private func installTask(_ number: Int) async throws {
        guard engine.tasks[number] == nil else { return }
        let task = engine.makeTask(partition: number)
        for store in task.context.stores {
            let changelog = TopicPartition(
                topic: changelogTopicName(app: app.name, store: store.name), partition: number)
            var records = 0
            try await app.broker.readToEnd(changelog) { view in
                try task.restore(storeNamed: store.name, from: view)
                records += 1
            }
            logger.debug(
                "state restored",
                metadata: [
                    "store": "\(store.name)", "topic": "\(changelog.topic)", "partition": "\(number)",
                    "records": "\(records)",
                ])
        }
        engine.install(task)
    }

    /// Measures the lag of the assigned partitions for the metric and the readiness status. A failed
    /// measurement is logged and leaves the last values in place: it is not a reason to stop processing.
    private func measureLag(_ consumer: any BrokerConsumer) async {
        lastLagMeasurement = elapsed
        let partitions = assigned.sorted()
        guard !partitions.isEmpty else { return }
        do {
            let lag = try await consumer.lag(for: partitions)
            metrics.recordLag(lag)
            status.update { $0.lag.merge(lag) { _, new in new } }
        } catch {
            logger.notice("could not measure the consumer lag", metadata: ["error": "\(error)"])
        }
    }

    /// Flush sinks and the producer, then write the changelogs, then commit the offsets.
    ///
    /// The changelogs go out only once the outputs are delivered: at least once, a crash in between must not
    /// leave a restored state saying a window was emitted whose output was lost. (Under exactly-once all of it
    /// commits in one transaction anyway.)
    private func checkpoint(consumer: any BrokerConsumer, producer: any BrokerProducer) async throws {
        let began = ContinuousClock.now
        failures.flush(to: logger)
        if let metadata = pendingMetadata {
            try producer.send(metadata)
            pendingMetadata = nil
        }
        let offsets = engine.nextOffsets.filter { assigned.contains($0.key) }
        let sinkCheckpoint = SinkCheckpoint(group: app.name, nextOffsets: offsets)
        for sink in app.graph.sinks {
            let flushBegan = ContinuousClock.now
            try await sink.flush(checkpoint: sinkCheckpoint)
            metrics.recordSinkFlush(sink: sink.name, duration: flushBegan.duration(to: .now))
        }
        try await flush(producer)
        let changelogs = try engine.drainChangelogs(now: .now)
        if !changelogs.isEmpty {
            for record in changelogs { try producer.send(record) }
            try await flush(producer)
        }
        if isExactlyOnce {
            try await producer.commitTransaction(offsets: offsets, consumer: consumer)
            try await producer.beginTransaction()
        } else if !offsets.isEmpty {
            try await consumer.commit(offsets)
        }
        let duration = began.duration(to: .now)
        metrics.recordCheckpoint(duration: duration, storeSizes: engine.storeSizes)
        logger.trace("checkpoint", metadata: ["partitions": "\(offsets.count)", "duration": "\(duration)"])
    }

    /// Waits until everything sent is delivered, counting a failed delivery.
    private func flush(_ producer: any BrokerProducer) async throws {
        do {
            try await producer.flush()
        } catch {
            metrics.recordDeliveryError()
            throw error
        }
    }
}
