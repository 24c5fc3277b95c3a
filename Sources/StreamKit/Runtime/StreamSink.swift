/// A destination outside the broker (a database, a file, memory) that a frame can write to with `to(_:)`.
///
/// The hot path calls `append` synchronously for every record, so it must only buffer. The runtime calls
/// `flush(checkpoint:)` at each checkpoint, before it commits the source offsets, and whenever
/// `isBackpressured` turns true (after pausing the source partitions). A sink is shared by every
/// partition task, so it must be safe to call from any thread.
///
/// A sink whose writes take a while (a database transaction) can let the pipeline go on meanwhile: at least
/// once, the runtime first offers it `detachFlush(checkpoint:)`, which hands over the buffered values and returns
/// their write; the runtime runs that in the background and commits the checkpoint's offsets once it finished.
public protocol StreamSink<Value>: AnyObject, Sendable {
    /// The type of value the sink stores.
    associatedtype Value

    /// Buffers one value. Throwing stops the batch and follows the app's processing error policy.
    func append(_ value: Value, context: SinkContext) throws

    /// Writes everything buffered. `checkpoint` holds the next source offsets that will be committed
    /// once every sink has flushed, so a sink can store them atomically with its data (exactly-once).
    func flush(checkpoint: SinkCheckpoint) async throws

    /// Takes everything buffered and returns the write that stores it, for the runtime to run in the background
    /// while the pipeline goes on appending; `nil` to be flushed in place with `flush(checkpoint:)` instead.
    ///
    /// Called at least once only (an exactly-once app flushes in place), from the runtime's loop, between
    /// appends: the values appended before the call are exactly those of `checkpoint`, so take them before
    /// returning. The runtime keeps one write in flight: it awaits it before the next checkpoint, an assignment
    /// change or the end, and commits `checkpoint`'s offsets only once it succeeded. A write that fails stops
    /// the app, as a failed `flush` does; so does a checkpoint that fails before it started the write, which is
    /// then never run (nothing of it was committed). The default returns `nil`.
    func detachFlush(checkpoint: SinkCheckpoint) -> SinkWrite?

    /// Whether the buffer is full enough that the runtime should pause its sources and flush now.
    var isBackpressured: Bool { get }

    /// Names the sink in metrics (`streamkit_sink_flush_duration_seconds{sink=…}`) and logs; by default its
    /// type name. Give sinks of one type that write to different places different names (a table name, say).
    var sinkName: String { get }

    /// Offsets this sink stored itself (exactly-once into a database); at least once, the source resumes
    /// from these instead of the broker's committed offsets. Under the app's `.exactlyOnce` the broker
    /// transaction's offsets win, and the sink skips values it already stored. `nil` when the sink does not
    /// store offsets.
    func storedOffsets(for partitions: [TopicPartition]) async throws -> [TopicPartition: Int64]?
}

extension StreamSink {
    /// Flushed in place: `flush(checkpoint:)`.
    public func detachFlush(checkpoint: SinkCheckpoint) -> SinkWrite? { nil }

    /// Never backpressured.
    public var isBackpressured: Bool { false }

    /// The sink's type name.
    public var sinkName: String { String(describing: Self.self) }

    /// Stores no offsets.
    public func storedOffsets(for partitions: [TopicPartition]) async throws -> [TopicPartition: Int64]? { nil }
}

/// What a sink learns about each value it is given.
public struct SinkContext: Sendable {
    /// The record's event time.
    public var timestamp: EventTime
    /// Where the source record came from; `nil` for records made by a timer.
    public var position: SourcePosition?
    /// The partition task that produced the value.
    public var partition: Int

    /// Makes a context.
    public init(timestamp: EventTime, position: SourcePosition?, partition: Int) {
        self.timestamp = timestamp
        self.position = position
        self.partition = partition
    }
}

/// The offsets a checkpoint is about to commit.
public struct SinkCheckpoint: Sendable {
    /// The consumer group (the app's name).
    public var group: String
    /// For each input partition, the offset of the next record to read.
    public var nextOffsets: [TopicPartition: Int64]

    /// Makes a checkpoint description (the runtime makes these; tests and benchmarks may too).
    public init(group: String, nextOffsets: [TopicPartition: Int64]) {
        self.group = group
        self.nextOffsets = nextOffsets
    }
}

/// The write of a batch a sink handed over at a checkpoint (``StreamSink/detachFlush(checkpoint:)``), which the
/// runtime runs in the background.
public struct SinkWrite: Sendable {
    /// Stores the batch; throwing stops the app.
    let body: (@Sendable () async throws -> Void)?

    /// A write that runs `body`.
    public init(_ body: @escaping @Sendable () async throws -> Void) { self.body = body }

    private init() { body = nil }

    /// Nothing to write: the runtime commits the checkpoint at once.
    public static let none = SinkWrite()

    /// Whether this is ``none``.
    public var isNone: Bool { body == nil }

    /// Runs the write (the runtime does this in the background; tests of a sink may call it themselves).
    public func run() async throws { try await body?() }
}

/// Type-erased flushing of the sinks a graph writes to.
@usableFromInline
protocol AnySinkFlusher: AnyObject {
    var identity: ObjectIdentifier { get }
    var name: String { get }
    var isBackpressured: Bool { get }
    func flush(checkpoint: SinkCheckpoint) async throws
    func detachFlush(checkpoint: SinkCheckpoint) -> SinkWrite?
    func storedOffsets(for partitions: [TopicPartition]) async throws -> [TopicPartition: Int64]?
}

@usableFromInline
final class SinkFlusher<Sink: StreamSink>: AnySinkFlusher {
    let sink: Sink
    @usableFromInline
    init(_ sink: Sink) { self.sink = sink }
    @usableFromInline var identity: ObjectIdentifier { ObjectIdentifier(sink) }
    @usableFromInline var name: String { sink.sinkName }
    @usableFromInline var isBackpressured: Bool { sink.isBackpressured }
    @usableFromInline func flush(checkpoint: SinkCheckpoint) async throws {
        try await sink.flush(checkpoint: checkpoint)
    }
    @usableFromInline func detachFlush(checkpoint: SinkCheckpoint) -> SinkWrite? {
        sink.detachFlush(checkpoint: checkpoint)
    }
    @usableFromInline func storedOffsets(for partitions: [TopicPartition]) async throws -> [TopicPartition: Int64]? {
        try await sink.storedOffsets(for: partitions)
    }
}
