import StreamKit
import StreamKitKafka
import StreamKitTestSupport
import Synchronization
import Testing

/// Time-aligned consumption on Kafka (`StreamApp.timeAlignment`): a replay of 2025 whose partition 0 covers ten
/// times the event time of partitions 1 and 2 per record. Aligned, no partition is read further ahead in event time
/// of another that still has records than the bound and one poll; unaligned (the control), partition 0 runs a day
/// ahead. Either way the windows
/// after the `keyBy` equal the reference with no grace. On the embedded cluster, and on the separate-process broker
/// when `KAFKA_BROKERS` is set.
@Suite("Time-aligned consumption on Kafka")
struct TimeAlignmentKafkaTests {
    struct Reading: Codable, Sendable {
        var partition: Int
        var index: Int
        var tsMs: Int64
    }

    static let perPartition = 20_000
    static let base: Int64 = 1_735_689_600_000  // 2025-01-01T00:00:00Z
    /// Event time between consecutive readings of a partition: 10 s on partition 0, 1 s on the others.
    static func step(_ partition: Int) -> Int64 { partition == 0 ? 10_000 : 1_000 }
    static func reading(partition: Int, index: Int) -> Reading {
        Reading(partition: partition, index: index, tsMs: base + Int64(index) * step(partition))
    }

    static let bound: Duration = .seconds(60)

    static var brokers: [String] { ["embedded"] + (TestEnvironment.kafkaBrokers.map { [$0] } ?? []) }

    /// Runs the replay; returns, over the records in processing order, the largest lead in event time of a
    /// record's partition over another partition that had started and still had records to come.
    static func replay(on servers: String, alignment: Duration?) async throws -> (lead: Int64, windows: [String: Int]) {
        var configuration = KafkaConfiguration(bootstrapServers: servers)
        configuration.properties["session.timeout.ms"] = "6000"
        configuration.properties["heartbeat.interval.ms"] = "500"
        // Small fetches and a short prefetch queue: a poll hands out tens of records per partition, not thousands,
        // so how far a partition gets ahead is up to the runtime, not to how much one fetch returned.
        configuration.properties["max.partition.fetch.bytes"] = "2048"
        configuration.properties["queued.min.messages"] = "20"
        let broker = servers == "embedded" ? KafkaBroker(.embedded) : KafkaBroker(.configuration(configuration))
        let input = TestEnvironment.uniqueName("aligned-in")
        let output = TestEnvironment.uniqueName("aligned-out")
        let history = ["retention.ms": "-1"]
        try await broker.createTopics([
            TopicSpec(name: input, partitions: 3, configs: history),
            TopicSpec(name: output, partitions: 1, configs: history),
        ])
        // Small produce batches: a broker hands out whole batches, however small the fetch asked for.
        var producerConfiguration = try broker.configuration
        producerConfiguration.properties["batch.num.messages"] = "10"
        let producer = try KafkaProducer(configuration: producerConfiguration)
        for partition in 0..<3 {
            for index in 0..<perPartition {
                let reading = reading(partition: partition, index: index)
                try producer.enqueue(
                    KafkaProducerMessage(
                        topic: input, partition: partition, key: Array("p\(partition)".utf8),
                        value: try Serde<Reading>.json.encode(reading), timestampMs: reading.tsMs))
            }
        }
        try await producer.flush(timeout: .seconds(30))

        let seen = Mutex<[Reading]>([])
        let app = try StreamApp(
            name: TestEnvironment.uniqueName("aligned"), broker: broker, timeAlignment: alignment)
        let readings = app.topic(input, key: String.self, value: Reading.self, format: .json, partitions: 3)
        let counts = app.topic(output, key: String.self, value: WindowResult<String, Int>.self, format: .json)
        app.dataframe(readings)
            .peek { record in seen.withLock { $0.append(record.value) } }
            .eventTime(\.tsMs)
            .keyBy(name: "bucket") { "bucket-\($0.index % 2)" }
            .tumblingWindow(.seconds(60), grace: .zero, name: "per-bucket").count().final().to(counts)
        try await app.run(mode: .backtest)

        // The lead: a record's time past the latest time read from another partition that was under way.
        let order = seen.withLock { $0 }
        var latest: [Int: Int64] = [:]
        var read: [Int: Int] = [:]
        var lead: Int64 = 0
        for reading in order {
            for (other, time) in latest where other != reading.partition && read[other]! < perPartition {
                lead = max(lead, reading.tsMs - time)
            }
            latest[reading.partition] = max(latest[reading.partition] ?? .min, reading.tsMs)
            read[reading.partition, default: 0] += 1
        }

        let messages = try await StreamAppSupport.readAll(
            output, on: broker, atLeast: expectedWindows.count, settle: .milliseconds(200))
        var windows: [String: Int] = [:]
        for message in messages {
            let result = try Serde<WindowResult<String, Int>>.json.decode(message.value ?? [])
            windows["\(result.key)@\(result.start.milliseconds)", default: 0] += result.value
        }
        return (lead, windows)
    }

    /// The windows by hand: readings per (bucket, minute).
    static var expectedWindows: [String: Int] {
        var windows: [String: Int] = [:]
        for partition in 0..<3 {
            for index in 0..<perPartition {
                let reading = reading(partition: partition, index: index)
                windows["bucket-\(index % 2)@\(reading.tsMs / 60_000 * 60_000)", default: 0] += 1
            }
        }
        return windows
    }

    @Test("aligned, no partition is read far ahead of the others in event time", arguments: brokers)
    func aligned(servers: String) async throws {
        let (lead, windows) = try await Self.replay(on: servers, alignment: Self.bound)
        // The bound, plus what one poll can hand out past it: up to 4,096 records of partition 0, 10 s apart.
        let slack: Int64 = 4_096 * 10_000
        #expect(lead <= Self.bound.wholeMilliseconds + slack, "partition lead \(lead / 1_000) s")
        #expect(windows == Self.expectedWindows)
    }

    /// The development broker serves one partition after the other, where there is no lead to see; the embedded
    /// cluster serves them side by side.
    @Test("unaligned (the control), partition 0 runs a day ahead; the windows are still exact")
    func unaligned() async throws {
        let (lead, windows) = try await Self.replay(on: "embedded", alignment: nil)
        #expect(lead > 24 * 3_600_000, "partition lead \(lead / 1_000) s")
        #expect(windows == Self.expectedWindows)
    }
}
