/// Everything one partition task's stages share while it runs: outputs, state stores, timers, counters.
///
/// A task owns the stages compiled for one partition number of the app's input topics (Kafka Streams'
/// task model), so state for partition `p` lives with records from partition `p` of every input, and
/// its changelog is partition `p` of each store's changelog topic. A context is used by one task at a
/// time; it is not thread-safe and needs not be.
final class PartitionContext {
    /// The partition number this task processes.
    let partition: Int
    /// The app's name, used to name changelog and repartition topics.
    let appName: String
    /// The error actions for deserialisation and operator failures.
    let errorPolicy: ErrorPolicy
    /// Wall-clock time of the current batch (from the app's clock), for idle closing of windows.
    var wallTime: Duration = .zero

    /// Records produced by this task since the runtime last drained them.
    var outputs: [RawRecord] = []
    /// Counters since the runtime last drained them.
    var counters = TaskCounters()

    /// The raw bytes of the source record being processed, for dead-letter copies. Valid only while
    /// the source stage runs its synchronous push for that record; `nil` otherwise.
    var currentSource: CurrentSource?

    /// Stores registered by the stages of this task.
    private(set) var stores: [any ChangelogStore] = []
    /// Time handlers registered by stateful stages (windows).
    private var timeHandlers: [(TimeSignal) throws -> Void] = []
    /// Compiled push functions by port, so each port compiles once per task.
    var compiledPorts: [ObjectIdentifier: Any] = [:]

    init(partition: Int, appName: String, errorPolicy: ErrorPolicy) {
        self.partition = partition
        self.appName = appName
        self.errorPolicy = errorPolicy
    }

    /// Registers a store so the runtime restores it and writes its changelog.
    func register(_ store: some ChangelogStore) {
        stores.append(store)
    }

    /// Registers a stage that reacts to watermark or wall-clock signals.
    func onTime(_ handler: @escaping (TimeSignal) throws -> Void) {
        timeHandlers.append(handler)
    }

    /// Delivers a time signal to every registered stage.
    func signal(_ signal: TimeSignal) throws {
        for handler in timeHandlers { try handler(signal) }
    }

    /// Appends an output record for the runtime to produce.
    func emit(_ record: RawRecord) {
        outputs.append(record)
        counters.recordsOut += 1
    }

    /// Sends the current source record to a dead-letter topic with reason headers, and counts it.
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
            headers.append(RecordHeader(name: DeadLetterHeader.sourcePartition, utf8: String(source.position.partition)))
            headers.append(RecordHeader(name: DeadLetterHeader.sourceOffset, utf8: String(source.position.offset)))
        }
        headers.append(RecordHeader(name: DeadLetterHeader.error, utf8: reason))
        headers.append(RecordHeader(name: DeadLetterHeader.stage, utf8: stage))
        outputs.append(RawRecord(topic: topic, key: key, value: value, timestamp: timestamp, headers: headers))
        counters.countFailure(stage: stage, action: "dead_letter")
    }

    /// Applies `action` to a failed record: throws for `.fail`, otherwise counts (and dead-letters).
    func handleFailure(_ error: any Error, action: ErrorAction, stage: String) throws {
        switch action {
        case .fail: throw error
        case .skip: counters.countFailure(stage: stage, action: "skip")
        case .deadLetter(let topic): deadLetter(to: topic, reason: String(describing: error), stage: stage)
        }
    }
}

/// The raw source record a task is processing, lent for the duration of one synchronous push.
struct CurrentSource {
    var position: SourcePosition
    var timestamp: EventTime
    var key: UnsafeRawBufferPointer?
    var value: UnsafeRawBufferPointer?
    var headers: [RecordHeader]
}

/// A time signal delivered to stateful stages.
enum TimeSignal {
    /// The watermark of the task's partition is at least this time (from a harness or a backtest end).
    case watermark(EventTime)
    /// The wall clock reads this time; windows idle for longer than their timeout close.
    case wallClock(Duration)
}

/// Counts one task accumulates between drains; the runtime moves them into swift-metrics per batch.
struct TaskCounters {
    var recordsIn = 0
    var recordsOut = 0
    var filtered = 0
    var late = 0
    /// Failures by (stage, action).
    var failures: [FailureKey: Int] = [:]

    struct FailureKey: Hashable {
        var stage: String
        var action: String
    }

    mutating func countFailure(stage: String, action: String) {
        failures[FailureKey(stage: stage, action: action), default: 0] += 1
    }
}
