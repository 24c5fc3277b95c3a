import StreamKit
import StreamKitKafka
import StreamKitTestSupport
import Testing

/// The app's own topics on Kafka: how they are created, the start-up check of existing ones, and purging.
enum InternalTopicsFixture {
    /// 2025-01-01T00:00:00Z: replayed history, which time retention deletes at once on the development broker.
    static let historyStartMs: Int64 = 1_735_689_600_000

    /// `<app>.ticks` (3 partitions) → event time → keyBy symbol (`<app>-by-symbol-repartition`) → 1 s count and sum
    /// per symbol (store `bars`, changelog `<app>-bars-changelog`) → `<app>.bars`, kept without time retention.
    static func keyedApp(_ name: String, on broker: KafkaBroker) throws -> StreamApp {
        let app = try StreamApp(name: name, broker: broker)
        let ticks = app.topic("\(name).ticks", key: String.self, value: Tick.self, format: .json, partitions: 3)
        let bars = app.topic(
            "\(name).bars", key: String.self, value: WindowResult<String, CountSum>.self, format: .json,
            configs: ["retention.ms": "-1"])
        app.dataframe(ticks)
            .eventTime(\.tsEventMs)
            .keyBy(name: "by-symbol") { $0.symbol }
            .tumblingWindow(.seconds(1), name: "bars")
            .aggregate(into: CountSum()) { $0.add($1) }
            .final()
            .to(bars)
        return app
    }

    /// Runs `app` as a backtest and returns the configuration error it stopped with, or `nil` if it ran.
    static func startUpFailure(of app: StreamApp) async throws -> StreamAppError? {
        do {
            try await app.run(mode: .backtest)
            return nil
        } catch let error as StreamAppError where error.code == .configuration {
            return error
        }
    }
}

/// On librdkafka's mock cluster, which keeps no topic configs: the partition-count check only.
@Suite("Internal topics on the embedded cluster")
struct InternalTopicsEmbeddedTests {
    @Test(.timeLimit(.minutes(1)))
    func repartitionTopicWithOtherPartitionCountStopsTheAppAtStart() async throws {
        let name = TestEnvironment.uniqueName("narrow")
        let broker = KafkaBroker.kafka(.embedded)
        let cluster = try #require(try broker.embeddedCluster)
        try cluster.createTopic("\(name)-by-symbol-repartition", partitions: 1)
        let app = try InternalTopicsFixture.keyedApp(name, on: broker)

        let error = try #require(try await InternalTopicsFixture.startUpFailure(of: app))
        #expect(
            error.message.hasPrefix(
                "repartition topic '\(name)-by-symbol-repartition' has 1 partition, the app expects 3"))
    }

    @Test func deletingRecordsOnTheEmbeddedClusterDoesNothing() async throws {
        let broker = KafkaBroker.kafka(.embedded)
        let topic = TestEnvironment.uniqueName("purge")
        try await broker.createTopics([TopicSpec(name: topic, partitions: 1)])
        try await broker.deleteRecords(before: [TopicPartition(topic: topic, partition: 0): 0])
    }
}

/// On the separate-process broker (`KAFKA_BROKERS`), which serves CreateTopics with configs, DescribeConfigs and
/// DeleteRecords, and applies time retention by record timestamp at once: without `retention.ms=-1` on the
/// repartition topic it deletes replayed history before the app reads it. Skipped by name without it.
@Suite(
    "Internal topics on a separate-process broker",
    .enabled(if: TestEnvironment.hasKafka, SkipReason.noKafka))
struct InternalTopicsBrokerTests {
    private let broker: KafkaBroker
    private let admin: KafkaAdmin

    init() throws {
        let brokers = try #require(TestEnvironment.kafkaBrokers)
        broker = KafkaBroker.kafka(.servers(brokers))
        admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: brokers))
    }

    /// The input topic, kept without time retention so that the history produced into it stays.
    private func makeInput(_ name: String) async throws {
        try await broker.createTopics([TopicSpec(name: "\(name).ticks", partitions: 3, configs: ["retention.ms": "-1"])]
        )
    }

    @Test(.timeLimit(.minutes(2)))
    func repartitionTopicIsCreatedWithoutTimeRetentionAndChangelogCompacted() async throws {
        let name = TestEnvironment.uniqueName("internal")
        try await makeInput(name)
        try await InternalTopicsFixture.keyedApp(name, on: broker).run(mode: .backtest)

        let repartition = "\(name)-by-symbol-repartition"
        let changelog = "\(name)-bars-changelog"
        let configurations = try await admin.describeTopicConfigurations([repartition, changelog])
        #expect(configurations[repartition]?["retention.ms"] == "-1")
        #expect(configurations[repartition]?["cleanup.policy"] == "delete")
        #expect(configurations[changelog]?["cleanup.policy"] == "compact")
        #expect(try await admin.describeTopic(repartition)?.partitions.count == 3)
        #expect(try await admin.describeTopic(changelog)?.partitions.count == 3)
    }

    /// Replayed history waits in the repartition topic whenever the app reads it later than it writes it: a large
    /// backtest whose downstream lags, or an instance that committed its input and stopped before reading what it
    /// repartitioned. The first half of the history is left there as such an instance would leave it, the second
    /// half goes through the `keyBy` (after it, so that nothing is late); the app must deliver the windows of both.
    @Test(.timeLimit(.minutes(2)))
    func historyThroughAKeyByIsDeliveredCompletely() async throws {
        let name = TestEnvironment.uniqueName("history")
        try await makeInput(name)
        // The repartition topic as the app creates it (an earlier run would have).
        let repartition = "\(name)-by-symbol-repartition"
        try await broker.createTopics([TopicSpec(name: repartition, partitions: 3).asInternal(.repartition)])
        // 600 ticks 100 ms apart from 2025-01-01 over six symbols: 60 s of history, 60 one-second windows per
        // symbol, each symbol seen at most twice per window (every 600 ms).
        let symbols = ["A", "B", "C", "D", "E", "F"]
        let ticks = (0..<600).map { (i: Int) -> Tick in
            tick(symbols[i % 6], mid: Double(i % 11) + 0.25, at: InternalTopicsFixture.historyStartMs + Int64(i) * 100)
        }
        // Keyed by symbol with the event time as timestamp, as the keyBy writes them.
        try await StreamAppSupport.produce(Array(ticks[..<300]), to: repartition, on: broker)
        try await StreamAppSupport.produce(Array(ticks[300...]), to: "\(name).ticks", on: broker)
        // The development broker applies time retention about once a second (measured: records 2025-stamped
        // into a topic with the default 7 days were gone within 1 s); give it the time to.
        try await Task.sleep(for: .milliseconds(2_500))

        try await InternalTopicsFixture.keyedApp(name, on: broker).run(mode: .backtest)

        let expected = ExpectedWindow.reference(ticks, sizeMs: 1_000)
        #expect(expected.count == 360)
        let windows = try await StreamAppSupport.windows(in: "\(name).bars", on: broker, atLeast: expected.count)
        #expect(windows == expected)
    }

    /// A pre-existing internal topic whose settings could lose or misroute data, and what the error must say.
    struct BadTopic: Sendable, CustomTestStringConvertible {
        var label: String
        var suffix: String
        var partitions: Int
        var configs: [String: String]
        var expected: [String]
        var testDescription: String { label }
    }

    static let badTopics = [
        BadTopic(
            label: "repartition topic with time retention", suffix: "by-symbol-repartition", partitions: 3,
            configs: ["retention.ms": "604800000"],
            expected: [
                "repartition topic '{topic}' has retention.ms=604800000: records keep their event time",
                "--entity-name {topic} --add-config retention.ms=-1",
            ]),
        BadTopic(
            label: "repartition topic with another partition count", suffix: "by-symbol-repartition",
            partitions: 2, configs: ["retention.ms": "-1"],
            expected: ["repartition topic '{topic}' has 2 partitions, the app expects 3"]),
        BadTopic(
            label: "changelog that is not compacted", suffix: "bars-changelog", partitions: 3,
            configs: ["cleanup.policy": "delete"],
            expected: [
                "changelog '{topic}' has cleanup.policy=delete, not compact",
                "--entity-name {topic} --add-config cleanup.policy=compact",
            ]),
        BadTopic(
            label: "changelog with fewer partitions than the input", suffix: "bars-changelog", partitions: 1,
            configs: ["cleanup.policy": "compact"],
            expected: [
                "changelog '{topic}' has 1 partition, fewer than the app's 3 input partitions",
                "--alter --topic {topic} --partitions 3",
            ]),
    ]

    @Test(.timeLimit(.minutes(1)), arguments: badTopics)
    func existingInternalTopicThatCouldLoseDataStopsTheAppAtStart(_ bad: BadTopic) async throws {
        let name = TestEnvironment.uniqueName("bad")
        try await makeInput(name)
        let topic = "\(name)-\(bad.suffix)"
        try await admin.createTopics(
            [
                KafkaTopicSpecification(
                    name: topic, partitions: bad.partitions, replicationFactor: 1, configs: bad.configs)
            ])
        let app = try InternalTopicsFixture.keyedApp(name, on: broker)

        let error = try #require(try await InternalTopicsFixture.startUpFailure(of: app))
        for part in bad.expected {
            #expect(error.message.contains(part.replacing("{topic}", with: topic)), "\(error.message)")
        }
        // Stopped before consuming: the group committed nothing.
        #expect(
            try await StreamAppSupport.committedCount(group: name, topic: "\(name).ticks", partitions: 3, on: broker)
                == 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func deletingRecordsMovesTheLowWatermark() async throws {
        let topic = TestEnvironment.uniqueName("purge")
        try await broker.createTopics([TopicSpec(name: topic, partitions: 2, configs: ["retention.ms": "-1"])])
        let producer = try KafkaProducer(configuration: broker.configuration)
        for index in 0..<10 {
            try producer.enqueue(
                KafkaProducerMessage(
                    topic: topic, partition: 0, key: "k", value: "\(index)", timestampMs: WallClock.nowMs))
        }
        try await producer.flush(timeout: .seconds(10))

        try await broker.deleteRecords(before: [TopicPartition(topic: topic, partition: 0): 4])

        let reader = try KafkaConsumer(configuration: broker.configuration)
        let marks = try await reader.watermarks(for: KafkaTopicPartition(topic: topic, partition: 0))
        try await reader.close()
        #expect(marks.low == 4)
        #expect(marks.high == 10)
        let remaining = try await StreamAppSupport.readAll(topic, on: broker, atLeast: 6)
        #expect(remaining.map(\.offset) == Array(4..<10))
    }
}
