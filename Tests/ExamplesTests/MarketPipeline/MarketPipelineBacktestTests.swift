import Foundation
import StreamKit
import StreamKitTestSupport
import Testing

/// `market-pipeline simulate` then `process --backtest`, as separate processes on the separate broker and
/// PostgreSQL: every output equals the reference computed from the recorded input.
@Suite(.enabled(if: TestEnvironment.hasKafkaAndTimescale, SkipReason.noKafkaOrTimescale))
struct MarketPipelineBacktestTests {
    @Test func backtestOfASeededFeedMatchesTheReference() async throws {
        let run = try await MarketTestRun("mp-backtest")
        // 3 symbols × 1 500 ticks, 10 ms apart per symbol: 15 seconds of bars, 3 % bad ticks.
        let simulate = try run.simulate([
            "--count", "4500", "--seed", "11", "--interval-ms", "10", "--bad-tick-rate", "0.03",
            "--symbols", "TTF-GAS,NBP-GAS,BRENT",
        ])
        try await simulate.expectSuccess()
        let process = try run.process(["--backtest"])
        try await process.expectSuccess()

        let raw = try await run.read(run.raw)
        let expected = MarketReference(raw: raw)
        // The seeded feed holds every kind of fault, so each rule of the quality stage is exercised.
        #expect(Set(expected.deadLetters.map(\.stage)) == ["deserialize", "sequence", "market-invariants"])
        #expect(!expected.gaps.isEmpty)
        #expect(!expected.spikes.isEmpty)

        let bars = try MarketOutputs.decode(MarketOutputs.BarRecord.self, try await run.read(run.bars))
        #expect(bars.count == expected.bars.count)
        expectBars(bars.map { ($0.key, $0.values) }, equal: expected, exactlyOnce: true)
        #expect(bars.allSatisfy { $0.windowEnd == $0.windowStart + 1_000 })

        let invalid = try await run.read(run.invalid)
        #expect(MarketOutputs.deadLetters(invalid).sorted() == expected.deadLetters.sorted())
        let rawByPosition = Dictionary(
            uniqueKeysWithValues: raw.map { ("\($0.partition ?? 0)@\($0.offset)", $0.value) })
        for record in invalid {
            let position =
                "\(record.headers.value(named: "streamkit.source.partition") ?? "")@"
                + (record.headers.value(named: "streamkit.source.offset") ?? "")
            #expect(record.value == rawByPosition[position] ?? nil, "a dead letter keeps the original bytes")
            #expect(record.headers.value(named: "streamkit.source.topic") == run.raw)
            let reason = record.headers.value(named: "streamkit.error") ?? ""
            switch record.headers.value(named: "streamkit.stage") {
            case "sequence": #expect(reason.contains("duplicate sequence"))
            case "market-invariants": #expect(reason.contains("crossed book") || reason.contains("negative"))
            default: #expect(!reason.isEmpty)
            }
        }

        let gaps = try MarketOutputs.decode(MarketReference.Gap.self, try await run.read(run.gaps))
        #expect(gaps.count == expected.gaps.count)
        #expect(Set(gaps) == expected.gaps)
        let spikes = try MarketOutputs.decode(MarketOutputs.SpikeRecord.self, try await run.read(run.spikes))
        #expect(spikes.count == expected.spikes.count)
        #expect(Set(spikes.map(\.spike)) == expected.spikes)

        expectBars(try await MarketOutputs.barRows(run.pg), equal: expected, exactlyOnce: true)
        let ticks = try await MarketOutputs.tickRows(run.pg)
        #expect(ticks.count == expected.validTicks.count)
        #expect(Set(ticks) == Set(MarketOutputs.tickRows(expected.validTicks)))
        try await run.dropSchema()
    }
}

/// Checks bars against the reference: every expected window present with the expected values, and no other
/// window; with `exactlyOnce`, each window once.
func expectBars(
    _ bars: [(MarketReference.BarKey, MarketReference.BarValues)], equal expected: MarketReference, exactlyOnce: Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let byKey = Dictionary(grouping: bars, by: \.0)
    #expect(Set(byKey.keys) == Set(expected.bars.keys), sourceLocation: sourceLocation)
    for (key, values) in expected.bars.sorted(by: { $0.key < $1.key }) {
        let found = byKey[key]?.map(\.1) ?? []
        if exactlyOnce {
            #expect(found.count == 1, "\(key) appears \(found.count) times", sourceLocation: sourceLocation)
        }
        for value in found {
            #expect(value.matches(values), "\(key): \(value) ≠ expected \(values)", sourceLocation: sourceLocation)
        }
    }
}
