import Foundation
import StreamKitTestSupport
import StreamKitTimescale
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The examples' operations endpoints and graceful shutdown, run as separate processes against the separate
/// broker and PostgreSQL: `/metrics` counts what was produced, `/health` and `/ready` answer 200 while the stage
/// runs, SIGTERM ends it with status 0, and a restart in the same consumer group reads exactly what the first
/// run did not: nothing lost, nothing read twice.
@Suite(.enabled(if: TestEnvironment.hasKafkaAndTimescale, SkipReason.noKafkaOrTimescale))
struct ExampleOperationsTests {
    static let operationsFlags = ["--metrics-port", "0", "--metrics-host", "127.0.0.1"]

    @Test func eventPersistenceServesMetricsAndHealthAndStopsGracefullyOnSIGTERM() async throws {
        let prefix = TestEnvironment.uniqueName("ops-persist") + "."
        let schema = prefix.dropLast().replacingOccurrences(of: "-", with: "_")
        let pg = try await TestDatabase.makeExampleSchema(schema)
        let first = PersistenceInput(prefix: prefix, count: 30)
        let second = PersistenceInput(prefix: prefix, count: 20, first: 101)
        try await EventTopics.create([first.bankTopic, first.priceTopic])
        try await EventTopics.produce(PersistenceInput.tuples(first.all))
        let app = prefix + "persist"
        let arguments =
            [
                "--topic-prefix", prefix, "--app-id", app, "--timescale-url",
                TestDatabase.url(schema: schema, includingPublic: true),
            ]
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
        let prefix = TestEnvironment.uniqueName("ops-market") + "."
        let schema = prefix.dropLast().replacingOccurrences(of: "-", with: "_")
        let pg = try await TestDatabase.makeExampleSchema(schema)
        let raw = prefix + "orderbook.raw"
        let start = WallClock.nowMs
        let first = Self.ticks(sequences: 1...60, start: start)
        let second = Self.ticks(sequences: 61...120, start: start)
        try await EventTopics.create([raw])
        try await EventTopics.produce(first.map { (raw, $0.symbol, try Self.json($0)) })
        let app = prefix + "market"
        let arguments =
            [
                "process", "--topic-prefix", prefix, "--app-id", app, "--timescale-url",
                TestDatabase.url(schema: schema, includingPublic: true),
            ]
            + Self.operationsFlags

        let service = try ExampleProcess("market-pipeline", arguments)
        let endpoints = try await OperationsEndpoints(of: service)
        let counted = try await endpoints.wait(
            for: "streamkit_records_in_total", ["app": app, "topic": raw], toReach: Double(first.count))
        #expect(counted == Double(first.count))
        let invalid = Double(first.filter { !Tick.isValid($0) }.count)
        let deadLettered = try await endpoints.wait(
            for: "streamkit_records_failed_total", ["app": app, "action": "dead_letter"], toReach: invalid)
        #expect(deadLettered == invalid)
        #expect(try await endpoints.get("health").status == 200)
        let ready = try await endpoints.wait(for: "ready", status: 200)
        #expect(ready.status == 200, "\(ready.body)")

        service.send(SIGTERM)
        #expect(try await service.waitForExit(within: .seconds(60)) == .exited(0), "\(service.outputSummary)")
        #expect(service.stdout.contains("\(first.count) records →"), "\(service.outputSummary)")

        try await EventTopics.produce(second.map { (raw, $0.symbol, try Self.json($0)) })
        let restart = try ExampleProcess("market-pipeline", arguments + ["--backtest"])
        try await restart.expectSuccess()
        #expect(restart.stdout.contains("\(second.count) records →"), "\(restart.outputSummary)")

        // Each valid tick is in the table once and in exactly one bar of its second; no bar was emitted twice.
        let valid = (first + second).filter(Tick.isValid)
        let rows = try await pg.execute("SELECT count(*) FROM ticks")
        #expect(rows.first?[0] == "\(valid.count)")
        let expected = valid.reduce(into: [String: Int]()) {
            $0["\($1.symbol)@\($1.tsEventMs / 1_000 * 1_000)", default: 0] += 1
        }
        let bars = try await KafkaTestSupport.consume([prefix + "orderbook.bars.1s"], count: expected.count)
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
        let prefix = TestEnvironment.uniqueName("ops-\(command[1])") + "."
        let schema = prefix.dropLast().replacingOccurrences(of: "-", with: "_")
        _ = try await TestDatabase.makeExampleSchema(schema)
        let stage = try ExampleProcess(
            command[0],
            Array(command.dropFirst())
                + [
                    "--topic-prefix", prefix, "--timescale-url",
                    TestDatabase.url(schema: schema, includingPublic: true),
                ]
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

    /// Ticks of two symbols, 10 ms apart in event time, one per symbol and sequence number; the tick with
    /// sequence 30 (mod 60) of `AAA` is a crossed book (ask below bid), which the quality stage dead-letters.
    static func ticks(sequences: ClosedRange<Int>, start: Int64) -> [Tick] {
        sequences.flatMap { sequence in
            ["AAA", "BBB"].map { symbol in
                let bid = 100 + Double(sequence % 7) / 10
                let ask = symbol == "AAA" && sequence % 60 == 30 ? bid - 0.2 : bid + 0.2
                let ts = start + Int64(sequence) * 10
                return Tick(
                    symbol: symbol, bid: bid, ask: ask, bidVolume: 5, askVolume: 7, tsEventMs: ts, tsIngestMs: ts + 1,
                    sequence: Int64(sequence))
            }
        }
    }

    /// A tick as the test produces it to orderbook.raw: JSON with snake_case keys, written by Foundation.
    static func json(_ tick: Tick) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(tick), as: UTF8.self)
    }

    static func countsByTopic(_ topics: [String]) -> [String: Int] {
        topics.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    static func rowCount(_ pg: TimescaleConnection) async throws -> Int {
        Int(try await pg.execute("SELECT count(*) FROM events").first?[0] ?? "") ?? -1
    }

    /// Waits up to 30 s until the events table holds `count` rows (the sink flushes at the checkpoint after the
    /// records); the test checks the rows at its end either way.
    static func waitForRows(_ count: Int, _ pg: TimescaleConnection) async throws {
        do {
            try await waitUntil("\(count) rows in the table", within: .seconds(30), every: .milliseconds(200)) {
                try await rowCount(pg) == count
            }
        } catch is WaitTimedOut {}
    }
}
