import Logging

/// Drives a `PipelineEngine` with a broker: the async edge of the app.
///
/// One turn of the loop: poll, apply assignment changes (checkpointing revoked partitions before they are
/// released), process the records, read `AsyncSequence` sources, let time pass, produce the outputs, and
/// checkpoint when due. The steps are the methods below, in that order.
final class AppRuntime<C: Clock<Duration>> {
    let app: StreamApp
    private let clock: C
    let engine: PipelineEngine
    let metrics: AppMetrics
    let status: StreamAppStatus
    let logger: Logger
    private let start: C.Instant
    /// The partitions this instance owns.
    var assigned: Set<TopicPartition> = []
    var pendingMetadata: RawRecord?
    var failures = FailedRecordLog()
    private var lastLagMeasurement: Duration = .zero
    /// Where a `.backtest` run is; `nil` in other modes.
    var backtest: BacktestProgress?
    /// Which owned input partitions have had nothing to read for a while (they hold no repartitioned window back).
    var idleInputs = IdleInputs()
    /// Pauses input partitions that run ahead of the others in event time (`StreamApp.timeAlignment`).
    var alignment: TimeAlignment?
    /// Records that came after their window closed since the last warning about them.
    private var lateRecords = LateRecordLog()
    /// Set once started: the app's consumer and producer.
    var consumer: (any BrokerConsumer)!
    var producer: (any BrokerProducer)!
    /// How often the lag of the assigned partitions is measured, besides right after each assignment.
    private static var lagInterval: Duration { .seconds(1) }
    /// The least time between two purges of consumed repartition records.
    static var purgeInterval: Duration { .seconds(5) }
    var lastPurge: Duration = .seconds(-3_600)
    /// At least once: the last checkpoint, while its sink writes run in the background (``PendingCheckpoint``).
    var inFlight: PendingCheckpoint?

    init(app: StreamApp, clock: C) {
        self.app = app
        self.clock = clock
        engine = PipelineEngine(app: app)
        metrics = AppMetrics(app: app)
        status = app.status
        logger = app.logger
        start = clock.now
        alignment = app.timeAlignment.map(TimeAlignment.init(bound:))
    }

    var elapsed: Duration { start.duration(to: clock.now) }
    var isExactlyOnce: Bool { app.guarantee == .exactlyOnce }

    func run(mode: RunMode) async throws {
        status.update { $0 = StreamAppStatus.Snapshot(phase: .starting) }
        do {
            try app.graph.checkTopicDeclarations()
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

    /// The loop's bookkeeping between turns.
    struct Progress {
        var sinceCheckpoint = 0
        var lastCheckpoint: Duration = .zero
        var lastRecord: Duration = .zero
    }

    private func runLoop(mode: RunMode) async throws {
        try await startUp(mode: mode)
        let readers = app.graph.asyncSources.map { $0.start() }
        defer { for reader in readers { reader.cancel() } }
        var progress = Progress(lastCheckpoint: elapsed, lastRecord: elapsed)
        do {
            while !Task.isCancelled {
                if app.isStopRequested.load(ordering: .acquiring) {
                    logger.info("stop requested: finishing the batch in hand")
                    break
                }
                if try await turn(&progress, mode: mode) {
                    try await finishInput()
                    break
                }
            }
        } catch is CancellationError {
            // Cancellation is the normal way to stop a service; the final checkpoint follows.
        } catch {
            failures.flush(to: logger)
            await abandonCheckpointInFlight()
            if isExactlyOnce { try? await producer.abortTransaction() }
            try? await consumer.close()
            throw error
        }
        try await shutDown()
    }

    /// One turn of the loop: poll and apply assignment changes, process what came, drain the async sources, emit,
    /// checkpoint when due. Returns `true` when a bounded run (`mode`) has read all its input.
    private func turn(_ progress: inout Progress, mode: RunMode) async throws -> Bool {
        let (poll, sought) = try await pollInputs()
        let now = elapsed
        // Joining a group takes seconds on Kafka; the idle time of `.untilIdle` counts from the assignment.
        if !poll.events.isEmpty { progress.lastRecord = now }
        engine.setWallTime(now)
        try process(poll, skipping: sought, now: now, progress: &progress)
        let drained = try drainAsyncSources(app.graph.asyncSources)
        if drained > 0 {
            progress.sinceCheckpoint += drained
            progress.lastRecord = now
        } else if app.graph.inputTopics.isEmpty {
            try await clock.sleep(for: .milliseconds(1))  // nothing polls, so nothing waits: do not spin
        }
        try engine.signal(.wallClock(now))
        try produceOutputs()
        try await checkpointIfDue(&progress, now: now)
        if now - lastLagMeasurement >= Self.lagInterval { await measureLag() }
        let idle = poll.batches.isEmpty && drained == 0 && app.graph.asyncSources.allSatisfy(\.isExhausted)
        guard idle else { return false }
        return try await isInputExhausted(mode: mode, idleFor: now - progress.lastRecord)
    }

    /// Polls the input topics (nothing when the app reads none) and applies the assignment changes the poll
    /// reports; returns the poll and the partitions sought to stored offsets, whose polled records are read again.
    private func pollInputs() async throws -> (BrokerPoll, sought: Set<TopicPartition>) {
        guard !app.graph.inputTopics.isEmpty else { return (BrokerPoll(), []) }
        let poll = try await consumer.poll(maxRecords: 4_096, timeout: .milliseconds(50))
        var sought: Set<TopicPartition> = []
        for event in poll.events { sought.formUnion(try await handle(event)) }
        return (poll, sought)
    }

    /// Runs the polled batches through the tasks, then what follows input: backtest ends, idle partitions, time
    /// alignment, the input metric and the checkpoint count.
    private func process(
        _ poll: BrokerPoll, skipping sought: Set<TopicPartition>, now: Duration, progress: inout Progress
    ) throws {
        // Records polled before a seek to stored offsets are read again from there.
        let batches = poll.batches.filter { !sought.contains($0.topicPartition) }
        try engine.process(batches, threads: app.processingThreads)
        backtest?.note(batches, endsReached: poll.endsReached.filter { !sought.contains($0.key) })
        idleInputs.note(batches, endsReached: poll.endsReached, now: now)
        engine.markIdle(idleInputs.newlyIdle(owned: assigned, now: now))
        try alignInputs()
        guard !batches.isEmpty else { return }
        metrics.recordInput(batches)
        progress.sinceCheckpoint += batches.reduce(0) { $0 + $1.count }
        progress.lastRecord = now
    }

    /// Creates the topics, checks the state layout, makes the consumer and producer, subscribes.
    private func startUp(mode: RunMode) async throws {
        let broker = app.broker
        let metadata = StateFingerprint.metadataTopic(app: app.name)
        try await broker.createTopics(app.graph.topicSpecs + [metadata])
        var stored: [UInt8]? = nil
        try await broker.readToEnd(TopicPartition(topic: metadata.name, partition: 0)) {
            StateFingerprint.storedValue(in: $0, into: &stored)
        }
        pendingMetadata = try StateFingerprint.verify(app.describe(), storedValue: stored, now: .now)
        // How many upstream partitions feed each repartition topic, as the cluster has them.
        engine.inputPartitionCounts.merge(try await broker.partitionCounts(of: app.graph.inputTopics)) { _, actual in
            actual
        }
        if case .backtest = mode { backtest = BacktestProgress(internalTopics: engine.repartitionTopics) }

        consumer = try await broker.makeConsumer(group: app.name, readCommitted: isExactlyOnce)
        producer = try await broker.makeProducer(transactionalID: isExactlyOnce ? app.transactionalID : nil)
        let inputTopics = app.graph.inputTopics
        if !inputTopics.isEmpty { try await consumer.subscribe(to: inputTopics) }
        if !app.graph.asyncSources.isEmpty { try await installTask(0) }
        if isExactlyOnce { try await producer.beginTransaction() }
        if inputTopics.isEmpty {
            status.update {
                $0.phase = .running
                $0.isRestored = true
            }
        }
        var metadataFields: Logger.Metadata = ["inputs": "\(inputTopics)", "guarantee": "\(app.guarantee)"]
        if isExactlyOnce { metadataFields["transactional-id"] = "\(app.transactionalID)" }
        logger.info("started", metadata: metadataFields)
    }

    /// The final checkpoint, then the group is left and the producer closed.
    private func shutDown() async throws {
        status.update { $0.phase = .stopping }
        try await checkpoint()
        lateRecords.warn(logger: logger)
        if isExactlyOnce { try await producer.abortTransaction() }
        try await consumer.close()
        try await producer.close()
        logPartitions("left the group", assigned.sorted())
    }

    /// Reads what the `AsyncSequence` sources have ready into task 0; returns how many elements.
    private func drainAsyncSources(_ sources: [any AsyncSourceRoot]) throws -> Int {
        guard let task = engine.tasks[0] else { return 0 }
        var drained = 0
        for (index, source) in sources.enumerated() {
            let count = try source.drain(into: task.context)
            metrics.recordInput(topic: AppMetrics.asyncSourceTopic(index), count: count)
            drained += count
        }
        return drained
    }

    /// Produces what the tasks emitted and records their counters.
    func produceOutputs() throws {
        let outputs = engine.drainOutputs()
        for record in outputs { try producer.send(record) }
        metrics.recordOutputs(outputs)
        let counters = engine.drainCounters()
        for note in counters.deadLetters { failures.noteDeadLetter(note, logger: logger) }
        for (key, count) in counters.failures where key.action == .skip {
            failures.noteSkipped(count, stage: key.stage)
        }
        metrics.record(counters)
        lateRecords.note(counters.lateByWindow)
        lateRecords.warnIfDue(now: elapsed, logger: logger)
    }

    /// Pauses the input partitions that ran too far ahead in event time and resumes those the others caught up
    /// with (``TimeAlignment``).
    private func alignInputs() throws {
        guard alignment != nil else { return }
        let inputs = assigned.filter { !engine.repartitionTopics.contains($0.topic) }
        let (pause, resume) = alignment!.update(
            times: engine.inputTimes, candidates: inputs, atEnd: idleInputs.isAtEnd)
        if !pause.isEmpty {
            try consumer.pause(pause)
            logger.debug(
                "paused: ahead of the slowest input partition in event time", metadata: ["partitions": "\(pause)"])
        }
        if !resume.isEmpty {
            try consumer.resume(resume)
            logger.debug("resumed: the other input partitions caught up", metadata: ["partitions": "\(resume)"])
        }
        guard !pause.isEmpty || !resume.isEmpty else { return }
        let paused = alignment!.paused.sorted()
        status.update { $0.pausedForAlignment = paused }
    }

    /// Whether the run should end now: `.untilIdle` after its idle time, `.backtest` when every owned partition
    /// reached its end (draining the repartition topics in rounds first). Only after the consumer got partitions:
    /// joining a group can take seconds, and ending before then would read nothing.
    private func isInputExhausted(mode: RunMode, idleFor idle: Duration) async throws -> Bool {
        let hasInputs = !app.graph.inputTopics.isEmpty
        switch mode {
        case .continuous:
            return false
        case .untilIdle(let limit):
            return (!hasInputs || !assigned.isEmpty) && idle >= limit
        case .backtest:
            guard hasInputs else { return true }
            guard !assigned.isEmpty, let progress = backtest, progress.isReached(owned: assigned) else { return false }
            // Everything read up to the ends; make what was written to the repartition topics readable, then see
            // whether they hold more.
            try await checkpoint()
            let owned = assigned.filter { progress.internalTopics.contains($0.topic) }.sorted()
            let ends = owned.isEmpty ? [:] : try await consumer.endOffsets(for: owned)
            return backtest!.drainRound(ends: ends, owned: assigned)
        }
    }

    /// The end of a backtest's input: every open window closes (the watermark stays where the records put it).
    private func finishInput() async throws {
        try engine.signal(.endOfInput)
        try produceOutputs()
    }

    /// Measures the lag of the assigned partitions for the metric and the readiness status. A failed
    /// measurement is logged and leaves the last values in place: it is not a reason to stop processing.
    func measureLag() async {
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
}
