import Testing

@testable import StreamKit

/// Windows after a `keyBy` close by the least watermark of the upstream partitions (`StreamTime`), so the
/// order in which the input partitions are read does not change the windows, even with no grace.
@Suite("Stream time across a repartition topic")
struct RepartitionedStreamTimeTests {
    struct Reading: Codable, Sendable {
        var sensor: Int
        var site: String
        var tsMs: Int64
    }

    static let partitions = 3
    static let sensors = 9
    static let base: Int64 = 1_735_689_600_000  // 2025-01-01T00:00:00Z

    /// Reading `i`: sensor `i % 9` (partition `sensor % 3`), site `(sensor / 3) % 3`, so every site gets readings
    /// from every partition, 100 ms apart in event time.
    static func reading(_ i: Int) -> Reading {
        let sensor = i % sensors
        return Reading(sensor: sensor, site: "site-\((sensor / 3) % 3)", tsMs: base + Int64(i) * 100)
    }

    static func makeApp(_ broker: InMemoryBroker) throws -> (StreamApp, Topic<String, WindowResult<String, Int>>) {
        let app = try StreamApp(name: "sites", broker: broker)
        let readings = app.topic(
            "readings", key: String.self, value: Reading.self, format: .json, partitions: partitions)
        let counts = app.topic("site-counts", key: String.self, value: WindowResult<String, Int>.self, format: .json)
        app.dataframe(readings).eventTime(\.tsMs).keyBy(name: "site") { $0.site }
            .tumblingWindow(.seconds(1), grace: .zero, name: "per-site").count().final().to(counts)
        return (app, counts)
    }

    /// The reference: readings grouped by site and whole second.
    static func reference(_ count: Int) -> [String: Int] {
        var windows: [String: Int] = [:]
        for i in 0..<count {
            let reading = reading(i)
            let start = (reading.tsMs / 1_000) * 1_000
            windows["\(reading.site)@\(start)", default: 0] += 1
        }
        return windows
    }

    @Test(
        "every window equals the reference whatever order the partitions are read in",
        arguments: [[0, 1, 2], [2, 1, 0], [1, 2, 0]])
    func partitionsReadOneAfterAnother(order: [Int]) throws {
        let broker = InMemoryBroker()
        let (app, counts) = try Self.makeApp(broker)
        let harness = try PipelineHarness(app)
        let count = 3_000
        // Each partition is read to its end before the next one gets any record: the most uneven speeds there are.
        for partition in order {
            for i in 0..<count where (i % Self.sensors) % Self.partitions == partition {
                let reading = Self.reading(i)
                broker.append(
                    RawRecord(
                        topic: "readings", partition: partition, key: Array("sensor-\(reading.sensor)".utf8),
                        value: try Serde<Reading>.json.encode(reading), timestamp: EventTime(milliseconds: reading.tsMs)
                    ))
            }
            try harness.processPending()
        }
        let closedBeforeTheEnd = try harness.values(in: counts).count
        try harness.advanceWatermark(to: EventTime(milliseconds: .max))
        var windows: [String: Int] = [:]
        for result in try harness.values(in: counts) {
            #expect(windows["\(result.key)@\(result.start.milliseconds)"] == nil, "window emitted twice")
            windows["\(result.key)@\(result.start.milliseconds)"] = result.value
        }
        #expect(windows == Self.reference(count))
        // The stream time moved once every partition was heard from: most windows closed before the end.
        #expect(closedBeforeTheEnd > windows.count / 2)
    }

    /// A task that reads a repartition partition after a rebalance or a restart starts with what the task before
    /// it had heard from every upstream partition (from the window's changelog). Upstream tasks announce their
    /// watermark only when it moves, so at the end of the input — or on any quiet partition — a new task that had
    /// to hear from all of them again would hold its windows open until the partitions went idle.
    @Test func aRestoredTaskKeepsTheUpstreamWatermarksItHadHeard() async throws {
        let broker = InMemoryBroker()
        let (app, counts) = try Self.makeApp(broker)
        let harness = try PipelineHarness(app)
        func send(partition: Int, atMs offset: Int64) throws {
            let reading = Reading(sensor: partition, site: "site-0", tsMs: Self.base + offset)
            broker.append(
                RawRecord(
                    topic: "readings", partition: partition, key: Array("sensor-\(partition)".utf8),
                    value: try Serde<Reading>.json.encode(reading), timestamp: EventTime(milliseconds: reading.tsMs)))
            try harness.processPending()
        }
        // Partition 0 at 0.5 s, partitions 1 and 2 at 5 s: the stream time after the keyBy is 0.5 s.
        try send(partition: 0, atMs: 500)
        try send(partition: 1, atMs: 5_000)
        try send(partition: 2, atMs: 5_000)
        #expect(try harness.values(in: counts).isEmpty)
        try await harness.checkpoint()
        try harness.restart()

        // Only partition 0 moves on, to 3 s: the least of 3 s, 5 s and 5 s closes the windows before 3 s.
        try send(partition: 0, atMs: 3_000)
        let closed = try harness.values(in: counts).map { "\($0.key)@\($0.start.milliseconds - Self.base)=\($0.value)" }
        #expect(closed == ["site-0@0=1"])
    }
}
