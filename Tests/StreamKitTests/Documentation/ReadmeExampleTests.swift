import Foundation
import StreamKit
import Testing

// The README's "DSL in a page" between the markers, so that it keeps compiling and working;
// `theReadmeShowsThisCode` checks that the README shows the same code.

/// The README's code, in a namespace so its `Tick` and `Bar` do not clash with the test support types.
enum ReadmeExample {
    // README-BEGIN
    struct Tick: Codable, Sendable {
        var symbol: String
        var bid: Double
        var ask: Double
        var tsEventMs: Int64

        var mid: Double { (bid + ask) / 2 }
        static func isValid(_ t: Tick) -> Bool { t.bid > 0 && t.ask > t.bid }
    }

    struct Bar: Codable, Sendable {
        var count = 0
        var midSum = 0.0
        var meanMid: Double { midSum / Double(count) }
        mutating func add(_ t: Tick) { count += 1; midSum += t.mid }
    }

    static func buildMarketPipeline(broker: InMemoryBroker) throws -> (
        StreamApp, CollectingSink<SpikeAlert<WindowResult<String, Bar>>>
    ) {
        let app = try StreamApp(name: "market-pipeline", broker: broker, errors: .deadLetter("orderbook.dlq"))
        let ticks = app.topic(
            "orderbook.raw", key: String.self, value: Tick.self, format: .json, partitions: 3)
        let bars = app.topic(
            "orderbook.bars.1s", key: String.self, value: WindowResult<String, Bar>.self, format: .json)
        let alerts = CollectingSink<SpikeAlert<WindowResult<String, Bar>>>()

        app.dataframe(ticks)
            .eventTime(\.tsEventMs)  // event time from the payload
            .filter(Tick.isValid, otherwise: .deadLetter("orderbook.invalid"))  // rejected ticks keep their bytes
            .tumblingWindow(.seconds(1), grace: .milliseconds(200), closeAfterIdle: .seconds(5))
            .aggregate(into: Bar()) { bar, tick in bar.add(tick) }
            .final()  // one bar per symbol and second
            .to(bars)  // typed all the way down
            .detectSpikes(alpha: 0.3, threshold: 2) { $0.value.meanMid }  // EMA baseline per symbol
            .to(alerts)
        return (app, alerts)
    }
    // README-END
}

@Suite("README example")
struct ReadmeExampleTests {
    @Test func theReadmePipelineRunsAsDescribed() throws {
        let broker = InMemoryBroker()
        let (app, alerts) = try ReadmeExample.buildMarketPipeline(broker: broker)
        let h = try PipelineHarness(app)
        let ticks = app.topic(
            "orderbook.raw", key: String.self, value: ReadmeExample.Tick.self, format: .json, partitions: 3)
        let bars = app.topic(
            "orderbook.bars.1s", key: String.self, value: WindowResult<String, ReadmeExample.Bar>.self, format: .json)
        // Mids 10, 11, 30 in seconds 0, 1, 2; a crossed tick; then a tick at 3.2 s closes second 2.
        for (ms, bid, ask) in [
            (100, 9.5, 10.5), (1_100, 10.5, 11.5), (2_100, 29.5, 30.5), (2_500, 5.0, 4.0), (3_300, 29.5, 30.5),
        ] {
            try h.send(
                ticks, key: "TTF-GAS",
                value: ReadmeExample.Tick(symbol: "TTF-GAS", bid: bid, ask: ask, tsEventMs: Int64(ms)),
                timestamp: .init(milliseconds: Int64(ms)))
        }
        #expect(try h.values(in: bars).map(\.value.meanMid) == [10, 11, 30])
        // Baseline 10 → 10.3 (0.3·11 + 0.7·10); 30 > 2 × 10.3 → one alert, 30 / 10.3 > 2.9 → MEDIUM.
        #expect(alerts.values.map(\.observed) == [30])
        #expect(alerts.values.map(\.severity) == [.medium])
        #expect(h.rawRecords(in: "orderbook.invalid").count == 1)
    }

    /// The README's first Swift block under "The DSL in a page" against the code between the markers above, both
    /// without comments and whitespace (the README aligns its comments; the test is formatted) and with the
    /// test's `static` (its functions live in a namespace) and the README's `import` dropped.
    @Test func theReadmeShowsThisCode() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## The DSL in a page")).upperBound
        let open = try #require(readme.range(of: "```swift\n", range: section..<readme.endIndex))
        let close = try #require(readme.range(of: "\n```", range: open.upperBound..<readme.endIndex))
        let shown = String(readme[open.upperBound..<close.lowerBound])

        let test = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let begin = try #require(test.range(of: "// README-" + "BEGIN")).upperBound
        let end = try #require(test.range(of: "// README-" + "END", range: begin..<test.endIndex)).lowerBound
        let tested = String(test[begin..<end])

        func normalized(_ code: String) -> String {
            code.replacing(/\/\/[^\n]*/, with: "").replacing("import StreamKit", with: "")
                .replacing("static func", with: "func").filter { !$0.isWhitespace }
        }
        #expect(normalized(shown) == normalized(tested), "README.md's DSL page differs from ReadmeExampleTests.swift")
    }
}
