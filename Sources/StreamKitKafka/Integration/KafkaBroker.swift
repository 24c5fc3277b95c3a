import Logging
import StreamKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs StreamKit apps on Kafka: a cluster named by its bootstrap servers, or an in-process one (`.embedded`).
///
///     let app = try StreamApp(name: "market-pipeline", broker: .kafka(.fromEnvironment(default: .embedded)))
///     let app = try StreamApp(name: "market-pipeline", broker: .kafka("localhost:9092"))
///     let app = try StreamApp(name: "market-pipeline", broker: .kafka(configuration))   // SASL, TLS…
///
/// The app's consumer joins the group named after the app, with manual commits (`enable.auto.commit=false`),
/// `auto.offset.reset=earliest` unless the configuration says otherwise, and `read_committed` under
/// `.exactlyOnce`. Producers partition keys with `murmur2_random`, as the Java client and the in-memory broker
/// do. A transactional producer registers its `transactional.id` once, when it is made.
///
/// **When bad configuration is reported.** Making a broker never throws, so it can be written inline in
/// `StreamApp(name:broker:)`: the configuration is validated *when the broker is made* (librdkafka checks every
/// property; for `.embedded` the cluster is started), and a failure is kept and thrown as ``KafkaError`` — with
/// librdkafka's text naming the property — by the first call that needs the cluster: `createTopics`, which
/// `StreamApp.run()` calls before anything else. Call ``validate()`` to see it earlier.
///
/// `.embedded` starts librdkafka's mock cluster in this process; it lives as long as the broker. Its topics are
/// created through the mock's own API (the mock does not serve CreateTopics), without topic configs (no
/// compaction), and its transactions do not hide aborted records from `read_committed` readers. Use it for
/// tests, examples and demos; use a real cluster for anything else.
public final class KafkaBroker: StreamBroker {
    /// Where the cluster is: in process, or named by bootstrap servers or a full configuration.
    public struct Endpoint: Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        enum Kind: Sendable {
            case embedded
            case configuration(KafkaConfiguration)
        }

        let kind: Kind

        /// An in-process cluster (librdkafka's mock cluster), started with the broker and gone with it.
        public static let embedded = Endpoint(kind: .embedded)

        /// A cluster reached through a comma-separated `host:port` list.
        public static func servers(_ bootstrapServers: String) -> Endpoint {
            Endpoint(kind: .configuration(KafkaConfiguration(bootstrapServers: bootstrapServers)))
        }

        /// A cluster reached with a full client configuration (security protocol, SASL, TLS files, any
        /// librdkafka property); it is the base of every consumer, producer and admin client the broker makes.
        public static func configuration(_ configuration: KafkaConfiguration) -> Endpoint {
            Endpoint(kind: .configuration(configuration))
        }

        /// The `host:port` list in the environment variable `name` when it is set and not empty; else `default`.
        ///
        ///     StreamApp(name: "bars", broker: .kafka(.fromEnvironment(default: .embedded)))
        public static func fromEnvironment(_ name: String = "KAFKA_BROKERS", default: Endpoint = .embedded) -> Endpoint
        {
            guard let value = environmentValue(name), !value.isEmpty else { return `default` }
            return .servers(value)
        }

        /// A cluster reached through a `host:port` list written as a literal: `.kafka("localhost:9092")`.
        public init(stringLiteral bootstrapServers: String) {
            self = .servers(bootstrapServers)
        }

        init(kind: Kind) { self.kind = kind }

        /// `embedded`, or the configuration with credentials masked.
        public var description: String {
            switch kind {
            case .embedded: "embedded"
            case .configuration(let configuration): configuration.description
            }
        }
    }

    /// What a working broker holds: the base configuration and, per kind, the mock cluster or the admin client.
    private struct Setup: Sendable {
        var configuration: KafkaConfiguration
        /// Consumer-only properties applied to group consumers (faster group timings on the embedded cluster).
        var consumerProperties: [String: String]
        var cluster: KafkaMockCluster?
        var admin: KafkaAdmin?
    }

    private let setup: Result<Setup, KafkaError>
    private let logger: Logger
    /// How long `flush` waits for outstanding deliveries before it throws ``KafkaError/Code/timedOut``.
    public let flushTimeout: Duration

    /// Makes a broker for `endpoint`; never throws (see the type's documentation for when errors surface).
    ///
    /// - Parameters:
    ///   - endpoint: `.embedded`, a broker list, `.fromEnvironment()` or `.configuration(_:)`.
    ///   - logger: Receives consumer errors that librdkafka retries by itself and refused commits, at
    ///     `.warning`/`.notice`; never credentials.
    ///   - flushTimeout: The longest wait for outstanding deliveries at a checkpoint.
    public init(
        _ endpoint: Endpoint, logger: Logger = Logger(label: "streamkit.kafka"), flushTimeout: Duration = .seconds(60)
    ) {
        self.logger = logger
        self.flushTimeout = flushTimeout
        setup = Result { () throws(KafkaError) in try Self.makeSetup(endpoint) }
    }

    private static func makeSetup(_ endpoint: Endpoint) throws(KafkaError) -> Setup {
        switch endpoint.kind {
        case .embedded:
            let cluster = try KafkaMockCluster(brokers: 1)
            // In process, groups can rebalance in seconds rather than the real defaults' tens of seconds. The mock
            // answers a fetch that finds no records only after the full fetch.wait.max.ms, even when records arrive
            // meanwhile (a real broker answers as soon as they do), so that wait is what a record produced just
            // after a fetch waits before it is read: 5 ms, not 50.
            let consumer = [
                "session.timeout.ms": "3000", "heartbeat.interval.ms": "300", "fetch.wait.max.ms": "5",
            ]
            // Its connections close when idle and when the cluster ends with the process: not worth a log line.
            var configuration = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
            configuration.properties["log.connection.close"] = "false"
            configuration.embeddedCluster = cluster
            return Setup(configuration: configuration, consumerProperties: consumer, cluster: cluster, admin: nil)
        case .configuration(let configuration):
            guard configuration.bootstrapServers.contains(where: { !$0.isWhitespace }) else {
                throw KafkaError(
                    code: .invalidArgument,
                    reason:
                        "invalid configuration bootstrap.servers=\"\": name at least one host:port, or use .embedded")
            }
            // Making the admin client applies every property, so librdkafka rejects bad ones here, by name.
            return Setup(
                configuration: configuration, consumerProperties: [:], cluster: nil,
                admin: try KafkaAdmin(configuration: configuration))
        }
    }

    /// Throws the configuration or start-up error kept when the broker was made, if any.
    public func validate() throws(KafkaError) {
        _ = try setup.get()
    }

    /// The base client configuration: for `.embedded`, the in-process cluster's bootstrap servers. Use it to make
    /// your own producers and consumers for the same cluster.
    public var configuration: KafkaConfiguration {
        get throws(KafkaError) { try setup.get().configuration }
    }

    /// The in-process cluster of an `.embedded` broker (for fault injection), or `nil` for a real cluster.
    public var embeddedCluster: KafkaMockCluster? {
        get throws(KafkaError) { try setup.get().cluster }
    }

    // MARK: - StreamBroker

    /// Makes a member of consumer group `group`: manual commits, `read_committed` when asked.
    public func makeConsumer(group: String, readCommitted: Bool) async throws -> any BrokerConsumer {
        let setup = try setup.get()
        var configuration = setup.configuration
        configuration.groupID = group
        configuration.enableAutoCommit = false
        if configuration.autoOffsetReset == nil { configuration.autoOffsetReset = .earliest }
        if readCommitted { configuration.isolationLevel = .readCommitted }
        configuration.properties.merge(setup.consumerProperties) { own, _ in own }
        return try KafkaBrokerConsumer(configuration: configuration, asksForLag: readCommitted, logger: logger)
    }

    /// Makes a producer; with a `transactionalID`, a transactional one, registered with the coordinator before
    /// this returns.
    public func makeProducer(transactionalID: String?) async throws -> any BrokerProducer {
        var configuration = try setup.get().configuration
        configuration.transactionalID = transactionalID
        // The runtime enqueues a whole poll's outputs between flushes; librdkafka's default queue of 100 000
        // records is too small for that at full speed.
        if configuration.properties["queue.buffering.max.messages"] == nil {
            configuration.properties["queue.buffering.max.messages"] = "1000000"
        }
        // A transaction left open by a killed instance holds back read-committed readers of its partitions until
        // the coordinator aborts it; ten seconds (Kafka Streams' choice under exactly-once) rather than a minute.
        if transactionalID != nil, configuration.properties["transaction.timeout.ms"] == nil {
            configuration.properties["transaction.timeout.ms"] = "10000"
        }
        // Retries must not reorder a partition: a watermark sent through a repartition topic has to follow the
        // records it covers.
        if configuration.enableIdempotence == nil, configuration.properties["enable.idempotence"] == nil {
            configuration.enableIdempotence = true
        }
        return try await KafkaBrokerProducer(configuration: configuration, flushTimeout: flushTimeout, logger: logger)
    }

    /// Creates the topics that do not exist yet: through the admin API on a real cluster (with their configs,
    /// such as `cleanup.policy=compact`), through the mock's API on the embedded one.
    ///
    /// The app's own topics that already exist are checked first: a repartition topic with time retention,
    /// compaction or another partition count than the app expects, or a changelog that is not compacted or has
    /// fewer partitions than the inputs, throws `StreamAppError` with code `.configuration` naming the topic, the setting
    /// and the fix. The embedded cluster keeps no topic configs, so there only partition counts are checked.
    public func createTopics(_ specs: [TopicSpec]) async throws {
        let setup = try setup.get()
        if let cluster = setup.cluster {
            var existing: [TopicSpec] = []
            for spec in specs {
                do {
                    try cluster.createTopic(spec.name, partitions: spec.partitions)
                } catch {
                    guard error.code == .topicAlreadyExists else { throw error }
                    if spec.internalRole != nil { existing.append(spec) }
                }
            }
            // The mock answers metadata requests, not DescribeConfigs; an admin client only when there is a check.
            if !existing.isEmpty {
                try await Self.checkInternalTopics(
                    existing, admin: try KafkaAdmin(configuration: setup.configuration), describingConfigs: false,
                    logger: logger)
            }
        } else if let admin = setup.admin, !specs.isEmpty {
            try await Self.checkInternalTopics(specs, admin: admin, describingConfigs: true, logger: logger)
            try await admin.createTopics(
                specs.map {
                    KafkaTopicSpecification(
                        name: $0.name, partitions: $0.partitions, replicationFactor: $0.replicationFactor ?? -1,
                        configs: $0.configs)
                }, ifNotExists: true)
        }
    }

    /// Deletes the records of each partition below its offset through the admin API (DeleteRecords), as Kafka
    /// Streams purges consumed repartition records. Does nothing on the embedded cluster: librdkafka 2.0.2's mock
    /// does not serve DeleteRecords.
    ///
    /// - Throws: ``KafkaError`` for the request or the first partition that failed (e.g. `OFFSET_OUT_OF_RANGE` for
    ///   an offset past the partition's end); nothing is lost by a failed purge.
    public func deleteRecords(before offsets: [TopicPartition: Int64]) async throws {
        guard let admin = try setup.get().admin, !offsets.isEmpty else { return }
        try await admin.deleteRecords(
            before: Dictionary(offsets.map { (KafkaTopicPartition($0.key), $0.value) }, uniquingKeysWith: max))
    }

    /// Reads a partition from its beginning to its end at the time of the call, `read_committed`, with a consumer
    /// of its own that is closed before this returns. A partition that does not exist reads as empty.
    public nonisolated(nonsending) func readToEnd(
        _ partition: TopicPartition, _ body: (borrowing RawRecordView) throws -> Void
    ) async throws {
        var configuration = try setup.get().configuration
        configuration.groupID = nil
        configuration.enableAutoCommit = false
        configuration.isolationLevel = .readCommitted
        configuration.properties["enable.partition.eof"] = "true"
        let reader = try KafkaConsumer(configuration: configuration)
        do {
            try await Self.read(partition, with: reader, body)
        } catch {
            try? await reader.close()
            throw error
        }
        try await reader.close()
    }

    private nonisolated(nonsending) static func read(
        _ partition: TopicPartition, with reader: KafkaConsumer, _ body: (borrowing RawRecordView) throws -> Void
    ) async throws {
        let kafkaPartition = KafkaTopicPartition(partition)
        let marks: (low: Int64, high: Int64)
        do {
            marks = try await reader.watermarks(for: kafkaPartition)
        } catch {
            guard error.code == .unknownTopicOrPartition || error.code == .unknownPartition else { throw error }
            return
        }
        guard marks.high > marks.low else { return }
        try reader.assign([kafkaPartition: .beginning])
        var next = marks.low
        // The end is reached at the high mark, or at the end librdkafka reports: under read_committed the last
        // offsets can be transaction markers, which are never delivered.
        while next < marks.high {
            let messages = try await reader.nextBatch(maxMessages: 4_096, timeout: .milliseconds(200))
            if let error = messages.errors.first(where: { $0.isFatal || $0.code == .unknownTopicOrPartition }) {
                throw error
            }
            for batch in KafkaRecordBatch.split(messages) where batch.topicPartition == partition {
                try batch.forEach(body)
                next = batch.nextOffset
            }
            if messages.endsOfPartition[kafkaPartition] != nil { break }
        }
    }
}

extension StreamBroker where Self == KafkaBroker {
    /// A Kafka cluster: `.kafka(.embedded)`, `.kafka("localhost:9092")` or `.kafka(.fromEnvironment())`.
    ///
    /// Never throws; a bad configuration is thrown by the app's first use of the broker (see ``KafkaBroker``).
    public static func kafka(_ endpoint: KafkaBroker.Endpoint) -> KafkaBroker {
        KafkaBroker(endpoint)
    }

    /// A Kafka cluster reached with a full client configuration (security, SASL, TLS, any librdkafka property).
    public static func kafka(_ configuration: KafkaConfiguration) -> KafkaBroker {
        KafkaBroker(.configuration(configuration))
    }
}

/// The value of an environment variable, if set.
private func environmentValue(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}
