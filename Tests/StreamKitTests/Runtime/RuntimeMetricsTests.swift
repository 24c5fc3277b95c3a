import Metrics
import MetricsTestKit
import StreamKitTestSupport
import Testing

@testable import StreamKit

@Suite("Metrics of a running app")
struct RuntimeMetricsTests {
    @Test func recordsInAndOutCountPerTopicAndDeadLettersByReason() async throws {
        let broker = InMemoryBroker()
        let metrics = TestMetrics()
        let app = try StreamApp(
            name: "counted", broker: broker,
            errors: ErrorPolicy(deserialization: .deadLetter("orders.invalid"), processing: .fail), metrics: metrics)
        let a = app.topic("orders.a", key: String.self, value: Int.self, format: .json, partitions: 2)
        let b = app.topic("orders.b", key: String.self, value: Int.self, format: .json)
        let out = app.topic("orders.out", key: String.self, value: Int.self, format: .json)
        app.dataframe(a).validate({ $0 >= 0 ? nil : "negative" }, otherwise: .deadLetter("orders.invalid")).map {
            $0 * 2
        }.to(out)
        app.dataframe(b).filter { $0 % 2 == 0 }.to(out)
        broker.createTopic(a.spec)
        broker.createTopic(b.spec)
        for value in -2..<10 { try broker.appendJSON(value, key: "k\(value)", to: "orders.a") }
        for value in 0..<7 { try broker.appendJSON(value, key: "k", to: "orders.b") }
        broker.append(
            RawRecord(
                topic: "orders.b", key: Array("k".utf8), value: Array("x".utf8), timestamp: .init(milliseconds: 0)))

        try await app.run(mode: .backtest)

        func counter(_ name: String, _ dimensions: [(String, String)]) throws -> Int64 {
            try metrics.expectCounter(name, [("app", "counted")] + dimensions).totalValue
        }
        // orders.a: 12 values, -2 and -1 dead-lettered, 10 doubled; orders.b: 7 values and 1 malformed record,
        // 0, 2, 4, 6 kept and 1, 3, 5 filtered out.
        #expect(try counter(StreamMetricName.recordsIn, [("topic", "orders.a")]) == 12)
        #expect(try counter(StreamMetricName.recordsIn, [("topic", "orders.b")]) == 8)
        #expect(try counter(StreamMetricName.recordsOut, [("topic", "orders.out")]) == 14)
        #expect(metrics.counters(label: StreamMetricName.recordsOut).count == 1)
        #expect(try counter(StreamMetricName.recordsFiltered, []) == 3)
        #expect(try counter(StreamMetricName.recordsFailed, [("stage", "validate"), ("action", "dead_letter")]) == 2)
        #expect(
            try counter(StreamMetricName.recordsFailed, [("stage", "deserialize"), ("action", "dead_letter")]) == 1)
        #expect(broker.records(in: "orders.invalid").count == 3)
        #expect(broker.records(in: "orders.out").count == 14)
    }

    @Test func lagIsMeasuredAtAssignmentAndAfterProcessing() async throws {
        let broker = InMemoryBroker()
        let metrics = TestMetrics()
        let app = try StreamApp(name: "lagging", broker: broker, metrics: metrics)
        let input = app.topic("in", key: String.self, value: Int.self, format: .json)
        let sink = CollectingSink<Int>()
        app.dataframe(input).map { $0 + 1 }.to(sink)
        broker.createTopic(input.spec)
        for value in 0..<10 { try broker.appendJSON(value, key: "k", to: "in") }

        // Lag is measured at the assignment, then once a second: an idle time above a second sees a second one.
        try await app.run(mode: .untilIdle(.milliseconds(1_200)))

        let lag = try metrics.expectGauge(
            StreamMetricName.consumerLag, [("app", "lagging"), ("topic", "in"), ("partition", "0")])
        #expect(lag.values.first == 10)  // all 10 records unread when the partition was assigned
        #expect(lag.lastValue == 0)
        let checkpoints = try metrics.expectCounter(StreamMetricName.checkpoints, [("app", "lagging")]).totalValue
        #expect(checkpoints >= 1)
        let flushes = try metrics.expectTimer(
            StreamMetricName.sinkFlushDuration, [("app", "lagging"), ("sink", "CollectingSink<Int>")])
        #expect(Int64(flushes.values.count) == checkpoints)  // every checkpoint flushes the one sink
        #expect(try metrics.expectTimer(StreamMetricName.checkpointDuration, [("app", "lagging")]).values.count > 0)
        #expect(sink.flushedValues == Array(1...10))
    }

    @Test func revokedPartitionsLoseTheirLagSeries() async throws {
        let broker = InMemoryBroker()
        let metricsOfFirst = TestMetrics()
        func build(_ metrics: TestMetrics?) throws -> StreamApp {
            let app = try StreamApp(name: "shared", broker: broker, metrics: metrics ?? TestMetrics())
            app.dataframe(app.topic("in", key: String.self, value: Int.self, format: .json, partitions: 2)).to(
                CollectingSink<Int>())
            return app
        }
        broker.createTopic(TopicSpec(name: "in", partitions: 2))
        let first = try build(metricsOfFirst)
        let firstRun = Task { try await first.run() }
        try await waitUntil("both partitions assigned") { first.status.snapshot.assignedPartitions.count == 2 }
        let lagDimensions = { (partition: Int) in
            [("app", "shared"), ("topic", "in"), ("partition", "\(partition)")]
        }
        #expect(throws: Never.self) { try metricsOfFirst.expectGauge(StreamMetricName.consumerLag, lagDimensions(1)) }

        // A second member takes partition 1 (in-memory groups give partition p to member p % members).
        let second = try build(nil)
        let secondRun = Task { try await second.run() }
        try await waitUntil("partition 0 alone assigned") {
            first.status.snapshot.assignedPartitions == [TopicPartition(topic: "in", partition: 0)]
        }
        #expect(throws: (any Error).self) {
            try metricsOfFirst.expectGauge(StreamMetricName.consumerLag, lagDimensions(1))
        }
        #expect(first.status.snapshot.lag.keys.sorted() == [TopicPartition(topic: "in", partition: 0)])
        first.stop()
        second.stop()
        try await firstRun.value
        try await secondRun.value
    }
}
