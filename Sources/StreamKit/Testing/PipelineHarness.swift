/// Runs an app's pipeline deterministically on its in-memory broker: feed records, move time, read
/// outputs. No threads, no sleeps, no wall clock.
///
///     let h = try PipelineHarness(app)                      // app built on an InMemoryBroker
///     try h.send(ticks, key: "TTF-GAS", value: tick, timestamp: .at(.milliseconds(100)))
///     try h.advanceWatermark(to: .at(.milliseconds(1_200)))
///     #expect(try h.values(in: bars) == [...])
///
/// Every `send` processes the record and everything it causes (repartition topics included) before it
/// returns. `checkpoint()` flushes sinks, writes changelogs and commits offsets in the runtime's order;
/// `restart()` throws away all in-memory state as a crash would and rebuilds it from the changelogs
/// and committed offsets.
///
/// The harness models the app's guarantee across `restart()`. Under `.atLeastOnce` the records since the last
/// checkpoint are processed again and what they wrote stays, so outputs repeat — after a `keyBy` twice over: a
/// replayed input record is repartitioned again, and a count downstream counts it again:
///
///     try h.send(orders, [a, b]); try await h.checkpoint()
///     try h.send(orders, [c]); try h.restart()   // c is read again: its repartitioned copy is there twice
///     // per-product counts downstream include c twice under .atLeastOnce, once under .exactlyOnce
///
/// Under `.exactlyOnce` everything the app wrote since the last checkpoint (outputs, repartition records) was in
/// the open transaction: `restart()` aborts it, so those records are gone, and processing them again gives each
/// output once. (The harness shows uncommitted outputs before a checkpoint, as a `read_uncommitted` reader sees
/// them.)
public final class PipelineHarness {
    /// The app under test.
    public let app: StreamApp
    /// The broker the app runs on.
    public let broker: InMemoryBroker
    /// The wall clock the pipeline sees (idle window closing).
    public let clock: SimulatedClock
    private var engine: PipelineEngine
    private var positions: [TopicPartition: Int64] = [:]
    private var pendingMetadata: RawRecord?
    /// Under exactly-once: per partition, the first offset the app wrote since the last checkpoint (the open
    /// transaction's records, from there to the end).
    private var openTransaction: [TopicPartition: Int64] = [:]
    private let metrics: AppMetrics
    /// Appends what the checkpoint writes (changelogs) to the broker, as the runtime's producer would.
    private let producer: any BrokerProducer

    /// Prepares the app's topics and tasks, restoring state from earlier checkpoints on the same broker.
    ///
    /// - Throws: `StreamAppError.configuration` when the app is not on an `InMemoryBroker` or declares a topic twice
    ///   with different settings;
    ///   `.stateLayoutChanged` when saved state was written by a differently shaped pipeline.
    public init(_ app: StreamApp, clock: SimulatedClock = SimulatedClock()) throws {
        guard let broker = app.broker as? InMemoryBroker else {
            throw StreamAppError.configuration("PipelineHarness needs an app built with broker: InMemoryBroker()")
        }
        try app.graph.checkTopicDeclarations()
        self.app = app
        self.broker = broker
        self.clock = clock
        engine = PipelineEngine(app: app)
        metrics = AppMetrics(app: app)
        producer = InMemoryProducer(broker: broker, isTransactional: false)
        try start()
    }

    private func start() throws {
        let metadata = StateFingerprint.metadataTopic(app: app.name)
        for spec in app.graph.topicSpecs + [metadata] { broker.createTopic(spec) }
        var stored: [UInt8]? = nil
        for record in broker.records(in: TopicPartition(topic: metadata.name, partition: 0)) {
            record.withView { StateFingerprint.storedValue(in: $0, into: &stored) }
        }
        pendingMetadata = try StateFingerprint.verify(app.describe(), storedValue: stored, now: .now)
        let committed = broker.committedOffsets(group: app.name)
        let inputs = app.graph.inputTopics
        let width = inputs.compactMap { broker.partitionCount(of: $0) }.max() ?? 1
        for topic in inputs {
            if let count = broker.partitionCount(of: topic) { engine.inputPartitionCounts[topic] = count }
        }
        for number in 0..<width {
            let restore = TaskRestore(engine: engine, partition: number)
            for changelog in restore.changelogs {
                for record in broker.records(in: changelog.partition) {
                    try record.withView { try restore.replay($0, into: changelog.store) }
                }
            }
            restore.install()
        }
        positions = [:]
        for topic in inputs {
            for p in 0..<(broker.partitionCount(of: topic) ?? 1) {
                let tp = TopicPartition(topic: topic, partition: p)
                positions[tp] = committed[tp] ?? 0
            }
        }
        engine.setWallTime(clock.now.offset)
    }

    // MARK: - Input

    /// Produces one record to `topic` and processes everything it causes.
    public func send<Key, Value>(
        _ topic: Topic<Key, Value>, key: Key, value: Value, timestamp: EventTime, headers: [RecordHeader] = []
    ) throws {
        broker.append(
            RawRecord(
                topic: topic.name, key: try topic.keySerde.encode(key), value: try topic.valueSerde.encode(value),
                timestamp: timestamp, headers: headers))
        try pump()
    }

    /// Produces values keyed and timed by closures, in order, processing after each.
    public func send<Key, Value>(
        _ topic: Topic<Key, Value>, _ values: [Value], key: (Value) -> Key, timestamp: (Value) -> EventTime
    ) throws {
        for value in values { try send(topic, key: key(value), value: value, timestamp: timestamp(value)) }
    }

    /// Produces raw bytes (for malformed input) and processes them.
    public func sendRaw(
        topic: String, key: [UInt8]?, value: [UInt8]?, timestamp: EventTime, headers: [RecordHeader] = []
    ) throws {
        broker.append(RawRecord(topic: topic, key: key, value: value, timestamp: timestamp, headers: headers))
        try pump()
    }

    /// Processes every record already waiting in the input topics (appended to the broker directly),
    /// and everything they cause.
    public func processPending() throws {
        try pump()
    }

    /// Reads every `AsyncSequence` source of the app to its end and processes its elements (in task 0),
    /// with everything they cause.
    public func processAsyncSources() async throws {
        let sources = app.graph.asyncSources
        let readers = sources.map { $0.start() }
        defer { for reader in readers { reader.cancel() } }
        guard let task = engine.tasks[0] else { return }
        while !sources.allSatisfy(\.isExhausted) {
            var drained = 0
            for (index, source) in sources.enumerated() {
                let count = try source.drain(into: task.context)
                metrics.recordInput(topic: AppMetrics.asyncSourceTopic(index), count: count)
                drained += count
            }
            try routeOutputs()
            try pump()
            if drained == 0 { await Task.yield() }
        }
    }

    // MARK: - Time

    /// Raises the watermark of every partition to `time`, closing the windows that ends there.
    public func advanceWatermark(to time: EventTime) throws {
        try engine.signal(.watermark(time))
        try routeOutputs()
        try pump()
    }

    /// Moves the wall clock; windows on partitions idle for their timeout close.
    public func advanceClock(by duration: Duration) throws {
        clock.advance(by: duration)
        engine.setWallTime(clock.now.offset)
        try engine.signal(.wallClock(clock.now.offset))
        try routeOutputs()
        try pump()
    }

    // MARK: - Checkpoints and crashes

    /// Flushes sinks, writes changelogs and commits offsets: the runtime's checkpoint sequence (`Checkpoint`), on
    /// the in-memory broker.
    public func checkpoint() async throws {
        if let metadata = pendingMetadata {
            broker.append(metadata)
            pendingMetadata = nil
        }
        let sequence = Checkpoint(offsets: engine.nextOffsets, group: app.name)
        try await sequence.flush(engine: engine, sinks: app.graph.sinks, producer: producer, metrics: metrics)
        broker.commit(sequence.offsets, group: app.name)
        openTransaction = [:]
        metrics.recordCheckpoint(duration: .zero, storeSizes: engine.storeSizes)
    }

    /// Loses every in-memory state as a crash would, then restores from changelogs and committed
    /// offsets and processes whatever is uncommitted again. Under `.atLeastOnce` the outputs since the last
    /// checkpoint repeat; under `.exactlyOnce` they are aborted first, so each appears once.
    public func restart() throws {
        if app.guarantee == .exactlyOnce {
            broker.truncate(openTransaction)
            openTransaction = [:]
        }
        engine = PipelineEngine(app: app)
        try start()
        try pump()
    }

    // MARK: - Output

    /// The values in `topic`, partition by partition, in offset order.
    public func values<Key, Value>(in topic: Topic<Key, Value>) throws -> [Value] {
        try records(in: topic).map(\.value)
    }

    /// The records in `topic`, decoded, partition by partition, in offset order.
    public func records<Key, Value>(in topic: Topic<Key, Value>) throws -> [StreamRecord<Key, Value>] {
        try broker.records(in: topic.name).map(topic.decode)
    }

    /// The raw records of a topic (dead-letter topics, changelogs).
    public func rawRecords(in topic: String) -> [RawRecord] {
        broker.records(in: topic)
    }

    // MARK: - Processing

    /// Processes every unread input record, and what its outputs feed back (repartition topics), until
    /// nothing is left.
    private func pump() throws {
        var progressed = true
        while progressed {
            progressed = false
            for tp in positions.keys.sorted() {
                let records = broker.records(in: tp, from: positions[tp]!)
                guard !records.isEmpty else { continue }
                let batch = InMemoryBatch(topicPartition: tp, records: records)
                try engine.process(batch)
                metrics.recordInput(topic: tp.topic, count: batch.count)
                positions[tp] = batch.nextOffset
                try routeOutputs()
                progressed = true
            }
        }
    }

    private func routeOutputs() throws {
        let outputs = engine.drainOutputs()
        let transactional = app.guarantee == .exactlyOnce
        for record in outputs {
            let position = broker.append(record)
            guard transactional else { continue }
            openTransaction[position.topicPartition] = min(
                openTransaction[position.topicPartition] ?? .max, position.offset)
        }
        metrics.recordOutputs(outputs)
        metrics.record(engine.drainCounters())
    }
}
