import Logging
import Metrics
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A stream-processing application: its topics, its pipeline, and how it runs.
///
/// Build the pipeline with `topic(_:key:value:format:)` and `dataframe(_:)`, then `run()`; or test it
/// with `PipelineHarness`. The app's name is its consumer group and prefixes its internal topics
/// (`<name>-<operator>-changelog`, `<name>-<operator>-repartition`), so keep it stable across deploys.
///
///     let app = try StreamApp(name: "market-pipeline", broker: InMemoryBroker())
///     let ticks = app.topic("orderbook.raw", key: String.self, value: Tick.self, format: .json)
///     app.dataframe(ticks).filter(\.isValid).to(valid)
///     try await app.run()
///
/// Build the pipeline from one task, before the app runs. After that the app may be shared: one task runs it
/// while others read `status` or call `stop()`.
///
///     let run = Task { try await app.run() }
///     …
///     app.stop()
///     try await run.value
// The graph is mutated only while the pipeline is built, which happens on one task before the app is shared;
// afterwards it is only read, by the single `run()` in progress. Everything else an app holds is immutable or
// synchronised (`status`, the stop flag), so sharing a built app between tasks is safe.
public final class StreamApp: @unchecked Sendable {
    /// The app's name: consumer group, and prefix of its internal topics.
    public let name: String
    /// This instance's id among the instances of the app: under exactly-once its transactional id is
    /// `<name>-<instanceID>`. See the `instanceID` parameter of the initializer.
    public let instanceID: String
    /// The broker it reads from and writes to.
    public let broker: any StreamBroker
    /// At-least-once or exactly-once.
    public let guarantee: ProcessingGuarantee
    /// When to checkpoint.
    public let checkpointPolicy: CheckpointPolicy
    /// What to do with records that fail.
    public let errorPolicy: ErrorPolicy
    /// Partitions of repartition topics made by `keyBy`, unless the app says otherwise.
    public let repartitionPartitions: Int?
    /// How many threads process partition tasks in parallel (1: all on the run loop's thread).
    public let processingThreads: Int
    /// How far in event time an input partition may run ahead of the slowest one this instance reads before it is
    /// paused until that one catches up (``init(name:broker:guarantee:instanceID:checkpoint:errors:repartitionPartitions:processingThreads:timeAlignment:logger:metrics:)``);
    /// `nil` when off.
    public let timeAlignment: Duration?
    /// The logger; per-record messages are `.trace` only.
    public let logger: Logger
    /// Where metrics go; the global `MetricsSystem` unless the app was given a factory.
    public let metricsFactory: any MetricsFactory
    /// What the run loop is doing: phase, assigned partitions, restore and lag, for health and readiness
    /// checks. Safe to read from any thread.
    public let status = StreamAppStatus()
    /// Set by `stop()`, read by the run loop before each poll; cleared when `run()` returns.
    let isStopRequested = Atomic<Bool>(false)

    @usableFromInline
    let graph = StreamGraph()

    /// Makes an app.
    ///
    /// - Parameters:
    ///   - name: Letters, digits, `.`, `_` and `-` only, as Kafka topic names allow; it names the
    ///     consumer group and the internal topics.
    ///   - broker: Where topics live: `InMemoryBroker()` or, with StreamKitKafka, a Kafka cluster.
    ///   - guarantee: `.atLeastOnce` (default) or `.exactlyOnce` (needs a transactional broker).
    ///   - instanceID: Which instance of the app this is. Under exactly-once each running instance needs its
    ///     own, and its transactional id is `<name>-<instanceID>` (Kafka Streams' EOS v2, KIP-447): a restart
    ///     with the same id fences the previous incarnation's producer and finishes its open transaction at
    ///     once. By default a new id for every app object (host, process id and a random part), which is always safe;
    ///     give a stable one (a pod or host name, `--instance-id`) so that a restarted instance does not leave
    ///     its predecessor's open transaction holding back read-committed readers until the transaction
    ///     timeout (10 s). Two running instances with the same id fence each other: the older one stops with an
    ///     error saying so. Letters, digits, `.`, `_` and `-`.
    ///   - checkpoint: How often to flush sinks, write changelogs and commit offsets.
    ///   - errors: What to do with records that cannot be read or make an operator throw.
    ///   - repartitionPartitions: Partition count of `keyBy` topics; by default that of the widest input.
    ///   - processingThreads: Threads that process the tasks of different partitions in parallel, like Kafka
    ///     Streams' `num.stream.threads`. Above 1, operator closures run concurrently for different
    ///     partitions, so whatever they capture must be thread-safe (state kept by StreamKit's own operators
    ///     is per partition and needs nothing).
    ///   - timeAlignment: Time-aligned consumption: an input partition whose records are more than this far
    ///     ahead in event time of the slowest input partition this instance owns (one that still has records to
    ///     read) is paused until that one catches up, as Flink aligns watermarks. A replay of history then reads
    ///     the partitions side by side in event time, however the broker serves them, which bounds the windows
    ///     held open after a `keyBy` and the state a join keeps. Default one minute; `nil` reads every partition
    ///     as fast as it comes. Partitions at their end hold nobody back.
    ///   - logger: Gets the app's name as `app` metadata.
    ///   - metrics: The metrics factory; by default the bootstrapped `MetricsSystem`.
    /// - Throws: `StreamAppError.configuration` when the name is not a valid topic-name prefix, or a count or
    ///   duration is out of range.
    public init(
        name: String, broker: some StreamBroker = InMemoryBroker(), guarantee: ProcessingGuarantee = .atLeastOnce,
        instanceID: String? = nil, checkpoint: CheckpointPolicy = .default, errors: ErrorPolicy = .fail,
        repartitionPartitions: Int? = nil, processingThreads: Int = 1, timeAlignment: Duration? = .seconds(60),
        logger: Logger = Logger(label: "streamkit"), metrics: (any MetricsFactory)? = nil
    ) throws {
        guard Self.isTopicNamePart(name) else {
            throw StreamAppError.configuration(
                "app name '\(name)' is not usable as a topic prefix: use 1–200 characters from a–z, A–Z, 0–9, '.', '_', '-'"
            )
        }
        if let instanceID, !Self.isTopicNamePart(instanceID) {
            throw StreamAppError.configuration(
                "instance id '\(instanceID)' is not usable: use 1–200 characters from a–z, A–Z, 0–9, '.', '_', '-'")
        }
        self.instanceID = instanceID ?? Self.newInstanceID()
        if let repartitionPartitions, repartitionPartitions < 1 {
            throw StreamAppError.configuration("repartitionPartitions must be at least 1, not \(repartitionPartitions)")
        }
        self.name = name
        self.broker = broker
        self.guarantee = guarantee
        self.checkpointPolicy = checkpoint
        self.errorPolicy = errors
        self.repartitionPartitions = repartitionPartitions
        guard (1...256).contains(processingThreads) else {
            throw StreamAppError.configuration("processingThreads must be between 1 and 256, not \(processingThreads)")
        }
        self.processingThreads = processingThreads
        if let timeAlignment, timeAlignment <= .zero {
            throw StreamAppError.configuration(
                "timeAlignment must be positive (or nil to turn it off), not \(timeAlignment)")
        }
        self.timeAlignment = timeAlignment
        var logger = logger
        logger[metadataKey: "app"] = "\(name)"
        self.logger = logger
        self.metricsFactory = metrics ?? MetricsSystem.factory
        for case .deadLetter(let topic) in [errors.deserialization, errors.processing] {
            graph.use(TopicSpec(name: topic, partitions: 1), as: .deadLetter)
        }
    }

    /// Declares a topic with typed keys and values.
    ///
    ///     let bars = app.topic("orderbook.bars.1s", key: String.self, value: Bar.self, format: .json)
    ///
    /// - Parameters:
    ///   - name: The topic's name on the broker.
    ///   - key: The key type; its serde is `keyFormat`.
    ///   - value: The value type; its serde is `format`.
    ///   - format: How values are encoded: `.json`, `.string`, `.bytes`, or Avro from StreamKitAvro.
    ///   - keyFormat: How keys are encoded; by default the key type's own (strings as UTF-8).
    ///   - partitions: Used when the app creates the topic; an existing topic keeps its own.
    ///   - configs: Topic configs used on creation (`retention.ms`, `cleanup.policy`…).
    public func topic<Key: StreamKey, Value>(
        _ name: String, key: Key.Type, value: Value.Type, format: Serde<Value>,
        keyFormat: Serde<Key> = Key.defaultSerde, partitions: Int = 1, configs: [String: String] = [:]
    ) -> Topic<Key, Value> {
        Topic(
            name: name, keySerde: keyFormat, valueSerde: format,
            spec: TopicSpec(name: name, partitions: partitions, configs: configs))
    }

    /// Starts a frame that reads `topic`.
    @inlinable
    public func dataframe<Key, Value>(_ topic: Topic<Key, Value>) -> DataFrame<Key, Value> {
        dataframe(topic, role: .input)
    }

    @inlinable
    func dataframe<Key, Value>(_ topic: Topic<Key, Value>, role: TopicRole) -> DataFrame<Key, Value> {
        graph.use(topic.spec, as: role)
        let source = graph.source(for: topic) {
            TopicSource(
                topic: topic,
                node: graph.addNode(kind: "source", label: topic.name, inputs: [], store: nil, topic: topic.name))
        }
        return DataFrame(app: self, port: source.port, node: source.node)
    }

    /// Asks `run()` to finish gracefully: it stops polling, finishes the batch in hand, flushes the sinks,
    /// checkpoints, leaves the consumer group and returns. Safe to call from any thread, and more than once.
    ///
    /// Unlike cancelling the task that runs the app, this lets the final checkpoint's I/O run in a task that
    /// is not cancelled. If no run is in progress, the next `run()` stops as soon as it has started.
    public func stop() {
        isStopRequested.store(true, ordering: .releasing)
    }

    /// The transactional id of this instance's producer under exactly-once: `<name>-<instanceID>`.
    public var transactionalID: String { "\(name)-\(instanceID)" }

    /// A default instance id, new for every app object: host name, process id and a random part.
    static func newInstanceID() -> String {
        var host = [CChar](repeating: 0, count: 256)
        let hostName =
            gethostname(&host, host.count) == 0
            ? String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let usable = hostName.unicodeScalars.filter {
            $0.isASCII && ($0.properties.isAlphabetic || "0123456789.-".unicodeScalars.contains($0))
        }
        let prefix = usable.isEmpty ? "host" : String(String.UnicodeScalarView(usable.prefix(64)))
        return "\(prefix)-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
    }

    static func isTopicNamePart(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 200
            && name.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || "0123456789._-".unicodeScalars.contains($0))
            })
    }

    /// The pipeline's description: operators, stores and topics, as text or Mermaid.
    public func describe() -> PipelineDescription {
        PipelineDescription(app: name, graph: graph)
    }
}

/// The delivery guarantee of an app.
public enum ProcessingGuarantee: Hashable, Sendable {
    /// Every input affects the outputs at least once; after a crash, records since the last checkpoint are
    /// processed again (outputs may repeat, database sinks stay exact through upsert keys).
    case atLeastOnce
    /// Outputs, changelogs and offsets commit together in one broker transaction; consumers read committed.
    case exactlyOnce
}

/// When the runtime checkpoints: every `records` records or every `interval`, whichever comes first.
public struct CheckpointPolicy: Hashable, Sendable {
    /// The record count between checkpoints.
    public var records: Int
    /// The longest time between checkpoints.
    public var interval: Duration

    /// Makes a policy.
    public init(records: Int, interval: Duration) {
        precondition(records > 0 && interval > .zero, "checkpoint records and interval must be positive")
        self.records = records
        self.interval = interval
    }

    /// Every 10 000 records or every second.
    public static let `default` = CheckpointPolicy(records: 10_000, interval: .seconds(1))
}
