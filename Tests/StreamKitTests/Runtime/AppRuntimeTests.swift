import Metrics
import MetricsTestKit
import StreamKitTestSupport
import Testing

@testable import StreamKit

@Suite("Running an app on the in-memory broker")
struct AppRuntimeTests {
    @Test func backtestProcessesEverythingClosesWindowsAndCommits() async throws {
        let broker = InMemoryBroker()
        let metrics = TestMetrics()
        let app = try StreamApp(name: "runner", broker: broker, metrics: metrics)
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json, partitions: 2)
        let bars = app.topic("bars", key: String.self, value: WindowResult<String, Int>.self, format: .json)
        let sink = CollectingSink<WindowResult<String, Int>>()
        app.dataframe(ticks).eventTime(\.tsEventMs).tumblingWindow(.seconds(1)).count().final().to(bars).to(sink)

        broker.createTopic(ticks.spec)
        let input = (0..<100).map { i in
            tick(["A", "B", "C", "D"][i % 4], mid: 1, at: Int64(i * 50), sequence: Int64(i))
        }
        for t in input {
            broker.append(
                RawRecord(
                    topic: "ticks", key: Array(t.symbol.utf8), value: try Serde<Tick>.json.encode(t),
                    timestamp: .init(milliseconds: t.tsEventMs)))
        }
        try await app.run(mode: .backtest)

        // 100 ticks 50 ms apart span [0, 5000): 5 windows × 4 symbols, 5 ticks each (20 per second / 4).
        let results = sink.flushedValues
        #expect(results.count == 20)
        #expect(results.allSatisfy { $0.value == 5 })
        #expect(Set(results.map(\.key)) == ["A", "B", "C", "D"])
        #expect(
            try Serde<WindowResult<String, Int>>.json.decode(broker.records(in: "bars").first?.value ?? []).value == 5)
        let committed = broker.committedOffsets(group: "runner")
        #expect(committed.values.reduce(0, +) == 100)
        #expect(
            try metrics.expectCounter(StreamMetricName.recordsIn, [("app", "runner"), ("topic", "ticks")]).totalValue
                == 100)
        #expect(
            try metrics.expectCounter(StreamMetricName.recordsOut, [("app", "runner"), ("topic", "bars")]).totalValue
                == 20)
    }

    @Test func partitionsProcessedInParallelGiveTheSequentialResult() async throws {
        let broker = InMemoryBroker()
        let app = try StreamApp(name: "parallel", broker: broker, processingThreads: 2)
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json, partitions: 4)
        let sink = CollectingSink<WindowResult<String, Double>>()
        app.dataframe(ticks).eventTime(\.tsEventMs).tumblingWindow(.seconds(1)).sum(\.mid).final().to(sink)
        broker.createTopic(ticks.spec)
        // 16 symbols, 4 000 ticks: symbol i % 16 at 2 ms steps, mid = i % 7 + 1.
        var expected: [String: Double] = [:]
        for i in 0..<4_000 {
            let t = tick("S\(i % 16)", mid: Double(i % 7 + 1), at: Int64(i * 2))
            expected["\(t.symbol)@\(t.tsEventMs / 1_000 * 1_000)", default: 0] += t.mid
            broker.append(
                RawRecord(
                    topic: "ticks", key: Array(t.symbol.utf8), value: try Serde<Tick>.json.encode(t),
                    timestamp: .init(milliseconds: t.tsEventMs)))
        }
        try await app.run(mode: .backtest)
        let actual = Dictionary(
            uniqueKeysWithValues: sink.flushedValues.map { ("\($0.key)@\($0.start.milliseconds)", $0.value) })
        #expect(actual == expected)
    }

    @Test func exactlyOnceCommitsOutputsWithOffsets() async throws {
        let broker = InMemoryBroker()
        let app = try StreamApp(name: "eos", broker: broker, guarantee: .exactlyOnce)
        let input = app.topic("in", key: String.self, value: Int.self, format: .json)
        let output = app.topic("out", key: String.self, value: Int.self, format: .json)
        app.dataframe(input).map { $0 * 2 }.to(output)
        broker.createTopic(input.spec)
        for i in 1...10 {
            broker.append(
                RawRecord(
                    topic: "in", key: Array("k".utf8), value: Array("\(i)".utf8), timestamp: .init(milliseconds: 0)))
        }
        try await app.run(mode: .backtest)
        let doubled = try broker.records(in: "out").map { try Serde<Int>.json.decode($0.value ?? []) }
        #expect(doubled == (1...10).map { $0 * 2 })
        #expect(broker.committedOffsets(group: "eos")[TopicPartition(topic: "in", partition: 0)] == 10)
    }

    @Test(.timeLimit(.minutes(1)))
    func secondInstanceTakesOverPartitionsAndRestoresTheirState() async throws {
        let broker = InMemoryBroker()
        func build() throws -> (StreamApp, CollectingSink<WindowResult<String, Int>>) {
            let app = try StreamApp(
                name: "scale", broker: broker, checkpoint: CheckpointPolicy(records: 1, interval: .milliseconds(1)))
            let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json, partitions: 2)
            let sink = CollectingSink<WindowResult<String, Int>>()
            app.dataframe(ticks).eventTime(\.tsEventMs).tumblingWindow(.seconds(10), name: "w").count().final().to(sink)
            return (app, sink)
        }
        func produce(_ key: String, at ms: Int64) throws {
            let t = tick(key, mid: 1, at: ms)
            broker.append(
                RawRecord(
                    topic: "ticks", key: Array(key.utf8), value: try Serde<Tick>.json.encode(t),
                    timestamp: .init(milliseconds: ms)))
        }
        broker.createTopic(TopicSpec(name: "ticks", partitions: 2))
        let keys = ["A", "E"]  // murmur2 puts these on different partitions of 2:
        #expect(Set(keys.map { Murmur2.partition(for: Array($0.utf8), partitions: 2) }).count == 2)

        let (first, firstSink) = try build()
        let (second, secondSink) = try build()
        let firstRun = Task { try await first.run() }
        let secondRun = Task { try await second.run() }
        try await waitUntil("two members in the group") { broker.state.withLock { $0.members["scale"]?.count } == 2 }

        // 3 ticks per key in window [0, 10 s), processed by whichever instance owns the key's partition.
        for i in 0..<6 { try produce(keys[i % 2], at: Int64(i * 100)) }
        try await waitUntil("6 records committed") { broker.committedOffsets(group: "scale").values.reduce(0, +) == 6 }

        // The first instance stops; the second takes both partitions and restores their windows.
        firstRun.cancel()
        try await firstRun.value
        for i in 6..<10 { try produce(keys[i % 2], at: Int64(i * 100)) }  // 2 more per key
        for key in keys { try produce(key, at: 20_000) }  // moves both watermarks past the window
        try await waitUntil("2 values in the sinks") { (firstSink.values + secondSink.values).count >= 2 }
        secondRun.cancel()
        try await secondRun.value

        let results = (firstSink.values + secondSink.values).filter { $0.start == .at(.zero) }
        // 3 before the handover + 2 after = 5 per key, each window exactly once.
        #expect(results.map(\.key).sorted() == ["A", "E"])
        #expect(results.map(\.value) == [5, 5])
    }
}
