import Foundation
import StreamKitTimescale
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The examples' operations endpoints and graceful shutdown, run as separate processes against the separate
/// broker and PostgreSQL: `/metrics` counts what was produced, `/health` and `/ready` answer 200 while the stage
/// runs, SIGTERM ends it with status 0, and a restart in the same consumer group reads exactly what the first
/// run did not: nothing lost, nothing read twice.
@Suite(.enabled(if: TestServices.isConfigured, "needs KAFKA_BROKERS and TIMESCALE_URL (scripts/test starts both)"))
struct ExampleOperationsTests {
    static let operationsFlags = ["--metrics-port", "0", "--metrics-host", "127.0.0.1"]

    @Test func eventPersistenceServesMetricsAndHealthAndStopsGracefullyOnSIGTERM() async throws {
        let prefix = TestServices.uniqueName("ops-persist") + "."
        let schema = prefix.dropLast().replacingOccurrences(of: "-", with: "_")
        let pg = try await TestServices.connect(schema: schema)
        let first = PersistenceInput(prefix: prefix, count: 30)
        let second = PersistenceInput(prefix: prefix, count: 20, first: 101)
        try await EventTopics.create([first.bankTopic, first.priceTopic])
        try await EventTopics.produce(PersistenceInput.tuples(first.all))
        let app = prefix + "persist"
        let arguments =
            ["--topic-prefix", prefix, "--app-id", app, "--timescale-url", TestServices.url(schema: schema)]
            + Self.operationsFlags

        let service = try ExampleProcess("event-persistence", arguments)
        let endpoints = try await OperationsEndpoints(of: service)
        // Every record is counted once under its input topic: 30 events, 6 redeliveries, 7 bad records.
        for (topic, count) in Self.countsByTopic(first.all.map(\.topic)) {
            let counted = try await endpoints.wait(
                for: "streamkit_records_in_total", ["app": app, "topic": topic], toReach: Double(count))
            #expect(counted == Double(count), "records in from \(topic)")
        }
        let health = try await endpoints.get("health")
        #expect(health.status == 200, "\(health.body)")
        let ready = try await endpoints.wait(for: "ready", status: 200)
        #expect(ready.status == 200, "\(ready.body)")
        #expect(ready.body.contains(#""phase":"running""#) && ready.body.contains(#""restored":true"#))
        try await Self.waitForRows(first.events.count, pg)

        service.send(SIGTERM)
        #expect(try await service.waitForExit(within: .seconds(60)) == .exited(0), "\(service.outputSummary)")
        #expect(service.stdout.contains("read \(first.all.count) records"), "\(service.outputSummary)")

        // The same group again: only what was produced after the stop is read, and each event has one row.
        try await EventTopics.produce(PersistenceInput.tuples(second.all))
        let restart = try ExampleProcess("event-persistence", arguments + ["--backtest"])
        try await restart.expectSuccess()
        #expect(restart.stdout.contains("read \(second.all.count) records"), "\(restart.outputSummary)")
        #expect(try await Self.rowCount(pg) == first.events.count + second.events.count)
    }

    @Test func marketProcessServesMetricsAndHealthAndStopsGracefullyOnSIGTERM() async throws {
        let prefix = TestServices.uniqueName("ops-market") + "."
        let schema = prefix.dropLast().replacingOccurrences(of: "-", with: "_")
        let pg = try await TestServices.connect(schema: schema)
        let raw = prefix + "orderbook.raw"
        let start = EventTopics.nowMs
        let first = Self.ticks(sequences: 1...60, start: start)
        let second = Self.ticks(sequences: 61...120, start: start)
        try await EventTopics.create([raw])
        try await EventTopics.produce(first.map { (raw, $0.symbol, $0.json) })
        let app = prefix + "market"
        let arguments =
            ["process", "--topic-prefix", prefix, "--app-id", app, "--timescale-url", TestServices.url(schema: schema)]
            + Self.operationsFlags

        let service = try ExampleProcess("market-pipeline", arguments)
        let endpoints = try await OperationsEndpoints(of: service)
        let counted = try await endpoints.wait(
            for: "streamkit_records_in_total", ["app": app, "topic": raw], toReach: Double(first.count))
        #expect(counted == Double(first.count))
        let invalid = Double(first.filter { !$0.isValid }.count)
        let deadLettered = try await endpoints.wait(
            for: "streamkit_records_failed_total", ["app": app, "action": "dead_letter"], toReach: invalid)
        #expect(deadLettered == invalid)
        #expect(try await endpoints.get("health").status == 200)
        let ready = try await endpoints.wait(for: "ready", status: 200)
        #expect(ready.status == 200, "\(ready.body)")

        service.send(SIGTERM)
        #expect(try await service.waitForExit(within: .seconds(60)) == .exited(0), "\(service.outputSummary)")
        #expect(service.stdout.contains("\(first.count) records →"), "\(service.outputSummary)")

        try await EventTopics.produce(second.map { (raw, $0.symbol, $0.json) })
        let restart = try ExampleProcess("market-pipeline", arguments + ["--backtest"])
        try await restart.expectSuccess()
        #expect(restart.stdout.contains("\(second.count) records →"), "\(restart.outputSummary)")

        // Each valid tick is in the table once and in exactly one bar of its second; no bar was emitted twice.
        let valid = (first + second).filter(\.isValid)
        let rows = try await pg.execute("SELECT count(*) FROM ticks")
        #expect(rows.first?[0] == "\(valid.count)")
        let expected = valid.reduce(into: [String: Int]()) {
            $0["\($1.symbol)@\($1.ts / 1_000 * 1_000)", default: 0] += 1
        }
        let bars = try await TestServices.consume([prefix + "orderbook.bars.1s"], count: expected.count)
        var counts: [String: Int] = [:]
        for bar in bars {
            let object = try EventTopics.object(bar)
            let key = "\(object["symbol"] as? String ?? "")@\(object["window_start"] as? Int64 ?? -1)"
            #expect(counts[key] == nil, "bar \(key) emitted twice")
            counts[key] = object["count"] as? Int ?? 0
        }
        #expect(counts == expected)
    }

    /// The long-running stages of the other examples, each as its own process: the endpoints answer while it
    /// runs, and SIGTERM ends it with status 0.
    @Test(arguments: [
        ["event-bus", "recommend"], ["event-bus", "bank-producer"], ["event-bus", "price-producer"],
        ["order-analytics", "aggregate"], ["order-analytics", "trends"], ["order-analytics", "etl"],
    ])
    func everyStageServesItsEndpointsUntilSIGTERM(_ command: [String]) async throws {
        let prefix = TestServices.uniqueName("ops-\(command[1])") + "."
        let schema = prefix.dropLast().replacingOccurrences(of: "-", with: "_")
        _ = try await TestServices.connect(schema: schema)
        let stage = try ExampleProcess(
            command[0],
            Array(command.dropFirst())
                + ["--topic-prefix", prefix, "--timescale-url", TestServices.url(schema: schema)]
                + Self.operationsFlags)
        let endpoints = try await OperationsEndpoints(of: stage)
        let health = try await endpoints.get("health")
        #expect(health.status == 200, "\(health.body)")
        let ready = try await endpoints.wait(for: "ready", status: 200)
        #expect(ready.status == 200, "\(ready.body)")
        let metrics = try await endpoints.get("metrics")
        #expect(metrics.status == 200 && metrics.body.contains("streamkit_checkpoints_total"), "\(metrics.body)")

        stage.send(SIGTERM)
        #expect(try await stage.waitForExit(within: .seconds(60)) == .exited(0), "\(stage.outputSummary)")
        #expect(stage.stderr.contains("shutting down gracefully"))
    }

    // MARK: - Helpers

    /// A tick as the test produces it to orderbook.raw.
    struct TestTick {
        var symbol: String
        var ts: Int64
        var json: String
        var isValid: Bool
    }

    /// Ticks of two symbols, 10 ms apart in event time, one per symbol and sequence number; the tick with
    /// sequence 30 (mod 60) of `AAA` is a crossed book (ask below bid), which the quality stage dead-letters.
    static func ticks(sequences: ClosedRange<Int>, start: Int64) -> [TestTick] {
        sequences.flatMap { sequence in
            ["AAA", "BBB"].map { symbol in
                let isValid = !(symbol == "AAA" && sequence % 60 == 30)
                let bid = 100 + Double(sequence % 7) / 10
                let ask = isValid ? bid + 0.2 : bid - 0.2
                let ts = start + Int64(sequence) * 10
                let json =
                    #"{"symbol":"\#(symbol)","bid":\#(bid),"ask":\#(ask),"bid_volume":5,"ask_volume":7,"#
                    + #""ts_event_ms":\#(ts),"ts_ingest_ms":\#(ts + 1),"sequence":\#(sequence)}"#
                return TestTick(symbol: symbol, ts: ts, json: json, isValid: isValid)
            }
        }
    }

    static func countsByTopic(_ topics: [String]) -> [String: Int] {
        topics.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    static func rowCount(_ pg: TimescaleConnection) async throws -> Int {
        Int(try await pg.execute("SELECT count(*) FROM events").first?[0] ?? "") ?? -1
    }

    /// Waits until the events table holds `count` rows (the sink flushes at the checkpoint after the records).
    static func waitForRows(_ count: Int, _ pg: TimescaleConnection) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while try await rowCount(pg) != count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
