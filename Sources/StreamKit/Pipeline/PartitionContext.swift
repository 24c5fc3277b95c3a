/// Everything one partition task's stages share while it runs: outputs, state stores, timers, counters.
///
/// A task owns the stages compiled for one partition number of the app's input topics (Kafka Streams'
/// task model), so state for partition `p` lives with records from partition `p` of every input, and
/// its changelog is partition `p` of each store's changelog topic. A context is used by one task at a
/// time; it is not thread-safe and needs not be. For the same reason the fields the hot path touches per
/// record skip the runtime exclusivity checks (`@exclusivity(unchecked)`): no access to them overlaps.
@usableFromInline
final class PartitionContext {
    /// The partition number this task processes.
    @usableFromInline
    let partition: Int
    /// The app's name, used to name changelog and repartition topics.
    @usableFromInline
    let appName: String
    /// The error actions for deserialisation and operator failures.
    @usableFromInline
    let errorPolicy: ErrorPolicy
    /// Wall-clock time of the current batch (from the app's clock), for idle closing of windows.
    @usableFromInline
    @exclusivity(unchecked) var wallTime: Duration = .zero

    /// Records produced by this task since the runtime last drained them.
    @usableFromInline
    var outputs: [RawRecord] = []
    /// Counters since the runtime last drained them.
    @usableFromInline
    @exclusivity(unchecked) var counters = TaskCounters()

    /// The raw bytes of the source record being processed, for dead-letter copies. Valid only while
    /// the source stage runs its synchronous push for that record; `nil` otherwise.
    @usableFromInline
    @exclusivity(unchecked) var currentSource: CurrentSource?

    /// Stores registered by the stages of this task.
    @usableFromInline
    var stores: [any ChangelogStore] = []
    /// Time handlers registered by stateful stages (windows).
    @usableFromInline
    var timeHandlers: [(TimeSignal) throws -> Void] = []
    /// Compiled push functions by port, so each port compiles once per task.
    @usableFromInline
    var compiledPorts: [ObjectIdentifier: Any] = [:]

    // MARK: Stream time across repartition topics (`StreamTime.swift`)

    /// The input partitions this task has read, by slot; the slot of the batch in hand is `inputSlot`.
    @usableFromInline
    var inputs: [TopicPartition] = []
    @usableFromInline
    @exclusivity(unchecked) var inputSlot = 0
    /// Whether the batch in hand comes from one of the app's repartition topics.
    @usableFromInline
    @exclusivity(unchecked) var isRepartitionInput = false
    /// The app's repartition topics.
    @usableFromInline
    var repartitionTopics: Set<String> = []
    /// Partition counts of the topics the app reads, for the watermarks it forwards.
    @usableFromInline
    var inputPartitionCounts: [String: Int] = [:]
    /// While a source's chain is compiled: that source's topic if it is a repartition topic, whose stream time
    /// then drives the windows compiled for it.
    @usableFromInline
    var compilingClockTopic: String?
    /// The `keyBy` stages' forwarders of this task.
    @usableFromInline
    var watermarkForwarders: [WatermarkForwarder] = []
    /// The stream time of each repartition topic this task reads.
    @usableFromInline
    var upstreamClocks: [String: UpstreamClock] = [:]
    /// Per input slot, the highest event time a time-keeping stage (a window, a `keyBy`) saw from that input:
    /// how far in event time the partition has been read, for time-aligned consumption.
    @usableFromInline
    @exclusivity(unchecked) var inputTimes: [Int64] = []

    /// Notes the event time of a record from the input in hand at a stage that keeps time.
    @inline(__always)
    @inlinable
    func noteInputTime(_ time: EventTime) {
        let slot = inputSlot
        if slot >= inputTimes.count { inputTimes += Array(repeating: .min, count: slot + 1 - inputTimes.count) }
        if time.milliseconds > inputTimes[slot] { inputTimes[slot] = time.milliseconds }
    }

    /// The slot of an input partition, given on first use.
    func slot(of partition: TopicPartition) -> Int {
        if let slot = inputs.firstIndex(of: partition) { return slot }
        inputs.append(partition)
        return inputs.count - 1
    }

    /// Makes `partition` the input of the batch in hand.
    func beginBatch(from partition: TopicPartition) {
        inputSlot = slot(of: partition)
        isRepartitionInput = repartitionTopics.contains(partition.topic)
    }

    /// Ends the batch in hand: the `keyBy` stages announce how far it moved their watermarks.
    func endBatch() {
        for forwarder in watermarkForwarders { forwarder.endBatch() }
    }

    /// Notes an upstream watermark read from repartition topic `topic`; windows fed by that topic close up to the
    /// new stream time.
    @inlinable
    func noteUpstream(_ body: WatermarkRecord.Body, topic: String) throws {
        if let time = upstreamClock(for: topic).note(body) {
            try signal(.streamTime(topic: topic, EventTime(milliseconds: time)))
        }
    }

    /// The stream time of repartition topic `topic` in this task, made on first use.
    @inlinable
    func upstreamClock(for topic: String) -> UpstreamClock {
        if let clock = upstreamClocks[topic] { return clock }
        let clock = UpstreamClock()
        upstreamClocks[topic] = clock
        return clock
    }

    @inlinable
    init(partition: Int, appName: String, errorPolicy: ErrorPolicy) {
        self.partition = partition
        self.appName = appName
        self.errorPolicy = errorPolicy
    }

    /// Registers a store so the runtime restores it and writes its changelog.
    @inlinable
    func register(_ store: some ChangelogStore) {
        stores.append(store)
    }

    /// Registers a stage that reacts to watermark or wall-clock signals.
    @inlinable
    func onTime(_ handler: @escaping (TimeSignal) throws -> Void) {
        timeHandlers.append(handler)
    }

    /// Delivers a time signal to every registered stage.
    @inlinable
    func signal(_ signal: TimeSignal) throws {
        for handler in timeHandlers { try handler(signal) }
    }

    /// Appends an output record for the runtime to produce.
    @inlinable
    func emit(_ record: RawRecord) {
        outputs.append(record)
        counters.recordsOut += 1
    }

    /// Sends the current source record to a dead-letter topic with reason headers, and counts it.
    @inlinable
    func deadLetter(to topic: String, reason: String, stage: String) {
        var headers: [RecordHeader] = []
        var key: [UInt8]? = nil
        var value: [UInt8]? = nil
        var timestamp = EventTime(milliseconds: 0)
        if let source = currentSource {
            headers = source.headers
            key = source.key.map { Array($0) }
            value = source.value.map { Array($0) }
            timestamp = source.timestamp
            headers.append(RecordHeader(name: DeadLetterHeader.sourceTopic, utf8: source.position.topic))
            headers.append(
                RecordHeader(name: DeadLetterHeader.sourcePartition, utf8: String(source.position.partition)))
            headers.append(RecordHeader(name: DeadLetterHeader.sourceOffset, utf8: String(source.position.offset)))
        }
        headers.append(RecordHeader(name: DeadLetterHeader.error, utf8: reason))
        headers.append(RecordHeader(name: DeadLetterHeader.stage, utf8: stage))
        outputs.append(RawRecord(topic: topic, key: key, value: value, timestamp: timestamp, headers: headers))
        counters.countFailure(stage: stage, action: .deadLetter)
        counters.deadLetters.append(
            DeadLetterNote(topic: topic, stage: stage, reason: reason, source: currentSource?.position))
    }

    /// Applies `action` to a failed record: throws for `.fail`, otherwise counts (and dead-letters).
    @inlinable
    func handleFailure(_ error: any Error, action: ErrorAction, stage: String) throws {
        switch action {
        case .fail: throw error
        case .skip: counters.countFailure(stage: stage, action: .skip)
        case .deadLetter(let topic): deadLetter(to: topic, reason: String(describing: error), stage: stage)
        }
    }
}

/// The raw source record a task is processing, lent for the duration of one synchronous push.
@usableFromInline
struct CurrentSource {
    @inlinable
    init(
        position: SourcePosition, timestamp: EventTime, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
        headers: [RecordHeader]
    ) {
        self.position = position
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
    }

    @usableFromInline
    var position: SourcePosition
    @usableFromInline
    var timestamp: EventTime
    @usableFromInline
    var key: UnsafeRawBufferPointer?
    @usableFromInline
    var value: UnsafeRawBufferPointer?
    @usableFromInline
    var headers: [RecordHeader]
}

/// A time signal delivered to stateful stages.
@usableFromInline
enum TimeSignal {
    /// The watermark of the task's partition is at least this time (from a harness or a backtest end).
    case watermark(EventTime)
    /// The wall clock reads this time; windows idle for longer than their timeout close.
    case wallClock(Duration)
    /// The stream time of repartition topic `topic` (the least watermark of its upstreams) reached this time.
    case streamTime(topic: String, EventTime)
    /// The input of a backtest is exhausted: every open window closes. The watermark stays where the records put
    /// it, so a later run of the app over newer records does not find them all late.
    case endOfInput
}

/// Counts one task accumulates between drains; the runtime moves them into swift-metrics per batch.
@usableFromInline
struct TaskCounters {
    @usableFromInline
    var recordsIn = 0
    @usableFromInline
    var recordsOut = 0
    @usableFromInline
    var filtered = 0
    @usableFromInline
    var late = 0
    /// Late records by window name: how many, and the most any of them was behind the watermark.
    @usableFromInline
    var lateByWindow: [String: LateTally] = [:]
    /// Failures by (stage, action).
    @usableFromInline
    var failures: [FailureKey: Int] = [:]
    /// The records dead-lettered, in order.
    @usableFromInline
    var deadLetters: [DeadLetterNote] = []

    @usableFromInline
    struct FailureKey: Hashable {
        @inlinable
        init(stage: String, action: FailureAction) {
            self.stage = stage
            self.action = action
        }

        @usableFromInline var stage: String
        @usableFromInline var action: FailureAction
    }

    @inlinable
    mutating func countFailure(stage: String, action: FailureAction) {
        failures[FailureKey(stage: stage, action: action), default: 0] += 1
    }

    /// Counts a record that came after its window closed, `lateness` milliseconds behind the watermark.
    @inlinable
    mutating func countLate(window: String, lateness: Int64) {
        late += 1
        lateByWindow[window, default: LateTally()].add(lateness: lateness)
    }

    /// Adds another task's counts.
    mutating func merge(_ other: TaskCounters) {
        recordsIn += other.recordsIn
        recordsOut += other.recordsOut
        filtered += other.filtered
        late += other.late
        failures.merge(other.failures, uniquingKeysWith: +)
        deadLetters += other.deadLetters
        lateByWindow.merge(other.lateByWindow) { $0.merged(with: $1) }
    }
}

/// Late records of one window operator: how many, and the largest lateness (watermark − event time) among them.
@usableFromInline
struct LateTally: Sendable {
    @usableFromInline var count = 0
    @usableFromInline var maxLateness: Int64 = 0

    @inlinable
    init() {}

    @inlinable
    mutating func add(lateness: Int64) {
        count += 1
        maxLateness = Swift.max(maxLateness, lateness)
    }

    func merged(with other: LateTally) -> LateTally {
        var merged = self
        merged.count += other.count
        merged.maxLateness = Swift.max(maxLateness, other.maxLateness)
        return merged
    }
}
