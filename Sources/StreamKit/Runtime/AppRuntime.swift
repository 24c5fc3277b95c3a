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
    /// Returns after a final checkpoint when the task is cancelled (`.continuous`) or the input is
    /// exhausted (`.backtest`). Throws configuration and broker errors, and record failures the error
    /// policy says to stop on; offsets of unprocessed records are then not committed.
    ///
    /// - Parameter clock: The wall clock for checkpoint intervals and idle window closing.
    public func run(mode: RunMode = .continuous, clock: some Clock<Duration> = ContinuousClock()) async throws {
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
    private var logger: Logger
    private let start: C.Instant
    private var assigned: Set<TopicPartition> = []
    private var pendingMetadata: RawRecord?

    init(app: StreamApp, clock: C) {
        self.app = app
        self.clock = clock
        engine = PipelineEngine(app: app)
        metrics = AppMetrics(app: app.name, factory: app.metricsFactory)
        logger = app.logger
        start = clock.now
    }

    private var elapsed: Duration { start.duration(to: clock.now) }
    private var isExactlyOnce: Bool { app.guarantee == .exactlyOnce }

    func run(mode: RunMode) async throws {
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
        logger.info("started", metadata: ["inputs": "\(app.graph.inputTopics)", "guarantee": "\(app.guarantee)"])

        var sinceCheckpoint = 0
        var lastCheckpoint = elapsed
        var lastRecord = elapsed
        do {
            while !Task.isCancelled {
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
                    sinceCheckpoint += batches.reduce(0) { $0 + $1.count }
                    lastRecord = now
                }
                var drained = 0
                if let task = engine.tasks[0] {
                    for source in asyncSources { drained += try source.drain(into: task.context) }
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
            if isExactlyOnce { try? await producer.abortTransaction() }
            try? await consumer.close()
            throw error
        }
        try await checkpoint(consumer: consumer, producer: producer)
        if isExactlyOnce { try await producer.abortTransaction() }
        try await consumer.close()
        try await producer.close()
        logger.info("stopped")
    }

    /// Produces what the tasks emitted and records their counters.
    private func produceOutputs(with producer: any BrokerProducer) throws {
        for record in engine.drainOutputs() { try producer.send(record) }
        metrics.record(engine.drainCounters())
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
            logger.info("partitions revoked", metadata: ["partitions": "\(partitions)"])
        case .assigned(let partitions):
            assigned.formUnion(partitions)
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
                }
            }
            logger.info("partitions assigned and restored", metadata: ["partitions": "\(partitions)"])
        }
        return sought
    }

    /// Builds the task of a partition number, restores its stores from their changelogs, installs it.
    private func installTask(_ number: Int) async throws {
        guard engine.tasks[number] == nil else { return }
        let task = engine.makeTask(partition: number)
        for store in task.context.stores {
            let changelog = TopicPartition(
                topic: changelogTopicName(app: app.name, store: store.name), partition: number)
            try await app.broker.readToEnd(changelog) { view in try task.restore(storeNamed: store.name, from: view) }
        }
        engine.install(task)
    }

    /// Flush sinks and the producer (with the changelogs), then commit the offsets.
    private func checkpoint(consumer: any BrokerConsumer, producer: any BrokerProducer) async throws {
        let began = elapsed
        if let metadata = pendingMetadata {
            try producer.send(metadata)
            pendingMetadata = nil
        }
        for record in try engine.drainChangelogs(now: .now) { try producer.send(record) }
        let offsets = engine.nextOffsets.filter { assigned.contains($0.key) }
        let sinkCheckpoint = SinkCheckpoint(group: app.name, nextOffsets: offsets)
        for sink in app.graph.sinks { try await sink.flush(checkpoint: sinkCheckpoint) }
        try await producer.flush()
        if isExactlyOnce {
            try await producer.commitTransaction(offsets: offsets, consumer: consumer)
            try await producer.beginTransaction()
        } else if !offsets.isEmpty {
            try await consumer.commit(offsets)
        }
        metrics.recordCheckpoint(duration: elapsed - began, storeSizes: engine.storeSizes)
    }
}
