import StreamKit
import StreamKitKafka
import StreamKitTestSupport
import Testing

/// Windows after a `keyBy`, with no grace, on Kafka: one input partition is read to its end before the others
/// get any record, and every window still equals the reference (`StreamTime`). On the embedded cluster, and on
/// the separate-process broker when `KAFKA_BROKERS` is set; event times lie in 2025.
@Suite("Stream time across a repartition topic on Kafka")
struct RepartitionStreamTimeKafkaTests {
    struct Reading: Codable, Sendable {
        var sensor: Int
        var site: String
        var tsMs: Int64
    }

    static let sensors = 9
    static let base: Int64 = 1_735_689_600_000  // 2025-01-01T00:00:00Z

    /// Reading `i`: sensor `i % 9` on partition `sensor % 3`, site `(sensor / 3) % 3`, 100 ms apart.
    static func reading(_ i: Int) -> Reading {
        let sensor = i % sensors
        return Reading(sensor: sensor, site: "site-\((sensor / 3) % 3)", tsMs: base + Int64(i) * 100)
    }

    static func produce(_ indices: [Int], to topic: String, on broker: KafkaBroker) async throws {
        let producer = try KafkaProducer(configuration: broker.configuration)
        for i in indices {
            let reading = reading(i)
            try producer.enqueue(
                KafkaProducerMessage(
                    topic: topic, partition: reading.sensor % 3, key: Array("sensor-\(reading.sensor)".utf8),
                    value: try Serde<Reading>.json.encode(reading), timestampMs: reading.tsMs))
        }
        try await producer.flush(timeout: .seconds(30))
    }

    static var brokers: [String] { ["embedded"] + (TestEnvironment.kafkaBrokers.map { [$0] } ?? []) }

    @Test("windows after keyBy equal the reference when partitions are read at different speeds", arguments: brokers)
    func unevenPartitions(servers: String) async throws {
        var configuration = KafkaConfiguration(bootstrapServers: servers)
        configuration.properties["session.timeout.ms"] = "6000"
        configuration.properties["heartbeat.interval.ms"] = "500"
        let broker = servers == "embedded" ? KafkaBroker(.embedded) : KafkaBroker(.configuration(configuration))
        let input = TestEnvironment.uniqueName("readings")
        let output = TestEnvironment.uniqueName("site-counts")
        let history = ["retention.ms": "-1"]
        try await broker.createTopics([
            TopicSpec(name: input, partitions: 3, configs: history),
            TopicSpec(name: output, partitions: 1, configs: history),
        ])
        let app = try StreamApp(name: TestEnvironment.uniqueName("sites"), broker: broker)
        let readings = app.topic(input, key: String.self, value: Reading.self, format: .json, partitions: 3)
        let counts = app.topic(output, key: String.self, value: WindowResult<String, Int>.self, format: .json)
        app.dataframe(readings).eventTime(\.tsMs).keyBy(name: "site") { $0.site }
            .tumblingWindow(.seconds(1), grace: .zero, name: "per-site").count().final().to(counts)

        let count = 3_000
        let first = (0..<count).filter { $0 % Self.sensors % 3 == 0 }
        let rest = (0..<count).filter { $0 % Self.sensors % 3 != 0 }
        try await Self.produce(first, to: input, on: broker)
        // Idle for 10 s ends the run and closes every window: the rest must arrive before that, also on a loaded
        // machine (4 s was seen too short there, the test process producing it late).
        let run = Task { try await app.run(mode: .untilIdle(.seconds(10))) }
        // Partition 0 is processed to its end, and its repartitioned records with it, before 1 and 2 get anything.
        try await waitUntil("partition 0 to be committed", within: .seconds(60), every: .milliseconds(50)) {
            try await StreamAppSupport.committedCount(group: app.name, topic: input, partitions: 3, on: broker)
                == Int64(first.count)
        }
        try await Self.produce(rest, to: input, on: broker)
        try await run.value

        var expected: [String: Int] = [:]
        for i in 0..<count {
            let reading = Self.reading(i)
            expected["\(reading.site)@\((reading.tsMs / 1_000) * 1_000)", default: 0] += 1
        }
        let messages = try await StreamAppSupport.readAll(output, on: broker, atLeast: expected.count)
        var windows: [String: Int] = [:]
        for message in messages {
            let result = try Serde<WindowResult<String, Int>>.json.decode(message.value ?? [])
            let id = "\(result.key)@\(result.start.milliseconds)"
            #expect(windows[id] == nil, "\(id) emitted twice")
            windows[id] = result.value
        }
        #expect(windows == expected)
    }
}
