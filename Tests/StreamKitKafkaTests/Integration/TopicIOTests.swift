import StreamKit
import StreamKitKafka
import StreamKitTestSupport
import Testing

/// The typed way to feed a topic and read one back (`broker.producer(for:)`, `broker.records(in:)`), called from
/// the main actor as top-level code would, on the embedded cluster, around a pipeline with a `keyBy`.
@Suite("Typed producing and reading of topics")
struct TopicIOTests {
    struct Reading: Codable, Sendable {
        var sensor: String
        var site: String
        var tsMs: Int64
    }

    @MainActor
    @Test("feed a topic, run a keyBy pipeline, read the windows back, all from the main actor")
    func roundTrip() async throws {
        let broker = KafkaBroker(.embedded)
        let app = try StreamApp(name: TestEnvironment.uniqueName("typed-io"), broker: broker)
        let readings = app.topic(
            TestEnvironment.uniqueName("readings"), key: String.self, value: Reading.self, format: .json,
            partitions: 3, configs: ["retention.ms": "-1"])
        let counts = app.topic(
            TestEnvironment.uniqueName("counts"), key: String.self, value: WindowResult<String, Int>.self,
            format: .json, configs: ["retention.ms": "-1"])
        app.dataframe(readings).eventTime(\.tsMs).keyBy(name: "site") { $0.site }
            .tumblingWindow(.seconds(60), grace: .zero, name: "per-site").count().final().to(counts)

        // 2025-01-01: 4 sensors on 2 sites, one reading every 20 s for 3 minutes.
        let base: Int64 = 1_735_689_600_000
        var expected: [String: Int] = [:]
        let producer = try await broker.producer(for: readings)
        for step in 0..<9 {
            for sensor in 0..<4 {
                let reading = Reading(
                    sensor: "s\(sensor)", site: "site-\(sensor % 2)", tsMs: base + Int64(step) * 20_000)
                try await producer.send(
                    key: reading.sensor, value: reading, timestamp: .init(milliseconds: reading.tsMs))
                expected["\(reading.site)@\(reading.tsMs / 60_000 * 60_000)", default: 0] += 1
            }
        }
        try await producer.close()

        try await app.run(mode: .backtest)

        let windows = try await broker.records(in: counts)
        var seen: [String: Int] = [:]
        for record in windows { seen["\(record.value.key)@\(record.value.start.milliseconds)"] = record.value.value }
        #expect(seen == expected)
        #expect(windows.allSatisfy { $0.position?.topicPartition.topic == counts.name })
    }

    /// Top-level code is main-actor code: `readToEnd`'s closure then touches main-actor state, so it must run on
    /// the caller's actor (it used to run on the broker's, and trapped in `dispatch_assert_queue`).
    @MainActor
    @Test("readToEnd and rawRecords called from the main actor")
    func readFromMainActor() async throws {
        let broker = KafkaBroker(.embedded)
        let name = TestEnvironment.uniqueName("main-actor")
        let topic = Topic(
            name: name, keySerde: Serde<String>.string, valueSerde: Serde<String>.string,
            spec: TopicSpec(name: name, partitions: 1))
        let producer = try await broker.producer(for: topic)
        for value in ["a", "b", "c"] {
            try await producer.send(key: value, value: value, timestamp: .init(milliseconds: 0))
        }
        try await producer.close()

        let partition = TopicPartition(topic: topic.name, partition: 0)
        var values: [String] = []
        try await broker.readToEnd(partition) { view in
            MainActor.assertIsolated()
            values.append(String(decoding: view.copy().value ?? [], as: UTF8.self))
        }
        #expect(values == ["a", "b", "c"])
        #expect(try await broker.rawRecords(in: partition).map(\.offset) == [0, 1, 2])
    }

    @Test("a record that does not decode is reported with its position")
    func undecodable() async throws {
        let broker = KafkaBroker(.embedded)
        let raw = TopicSpec(name: TestEnvironment.uniqueName("mixed"), partitions: 1)
        let text = Topic(name: raw.name, keySerde: Serde<String>.string, valueSerde: Serde<String>.string, spec: raw)
        let numbers = Topic(name: raw.name, keySerde: Serde<String>.string, valueSerde: Serde<Int>.json, spec: raw)
        let producer = try await broker.producer(for: text)
        try await producer.send(key: "a", value: "1", timestamp: .init(milliseconds: 0))
        try await producer.send(key: "b", value: "x", timestamp: .init(milliseconds: 0))
        try await producer.close()
        await #expect {
            try await broker.records(in: numbers)
        } throws: { error in
            "\(error)".contains("\(raw.name)[0]@1")
        }
    }
}
