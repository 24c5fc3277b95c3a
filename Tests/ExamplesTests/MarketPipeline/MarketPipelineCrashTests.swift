import Foundation
import StreamKit
import Testing

/// `market-pipeline process` on a recorded feed, SIGKILLed mid-stream (once a checkpoint has committed some
/// offsets, long before the end of the input) and restarted as a backtest: the outputs still equal the
/// reference computed from the recorded input. At least once, every window is there (repeats allowed); exactly
/// once, every window, dead letter and gap is there once under `read_committed`, and in the database every row
/// is stored once with the offsets of the last committed batch.
@Suite(.enabled(if: TestServices.isConfigured, "needs KAFKA_BROKERS and TIMESCALE_URL (scripts/test starts both)"))
struct MarketPipelineCrashTests {
    /// Records committed before the kill: the first checkpoint's worth.
    static let committedBeforeKill: Int64 = 10_000

    /// A recorded feed far longer than one checkpoint: 3 symbols × 40 000 ticks, 10 ms apart per symbol, 1 % bad.
    static func recordFeed(_ run: MarketTestRun) async throws {
        let simulate = try run.simulate([
            "--count", "120000", "--seed", "23", "--interval-ms", "10", "--symbols", "TTF-GAS,NBP-GAS,BRENT",
        ])
        try await simulate.expectSuccess()
    }

    @Test func atLeastOnceAfterASIGKILLEveryWindowIsPresent() async throws {
        let run = try await MarketTestRun("mp-kill-alo")
        try await Self.recordFeed(run)
        let end = try await run.rawEndOffsets()

        let first = try run.process([], database: false)
        try await run.wait(for: first) {
            try await run.committedOffsets().values.reduce(0, +) >= Self.committedBeforeKill
        }
        try await run.kill(first)
        #expect(try await run.committedOffsets().values.reduce(0, +) < end.values.reduce(0, +), "killed mid-stream")

        let second = try run.process(["--backtest"], database: false)
        try await second.expectSuccess(within: .seconds(300))
        #expect(try await run.committedOffsets() == end.filter { $0.value > 0 })

        let expected = MarketReference(raw: try await run.read(run.raw))
        let bars = try MarketOutputs.decode(MarketOutputs.BarRecord.self, try await run.read(run.bars))
        expectBars(bars.map { ($0.key, $0.values) }, equal: expected, exactlyOnce: false)
        try await run.dropSchema()
    }

    @Test func exactlyOnceAfterASIGKILLEveryWindowIsPresentOnce() async throws {
        let run = try await MarketTestRun("mp-kill-eos")
        try await Self.recordFeed(run)
        let end = try await run.rawEndOffsets()

        let first = try run.process(["--guarantee", "exactly-once"], database: false)
        try await run.wait(for: first) {
            try await run.committedOffsets().values.reduce(0, +) >= Self.committedBeforeKill
        }
        try await run.kill(first)
        #expect(try await run.committedOffsets().values.reduce(0, +) < end.values.reduce(0, +), "killed mid-stream")

        let second = try run.process(["--guarantee", "exactly-once", "--backtest"], database: false)
        try await second.expectSuccess(within: .seconds(300))
        #expect(try await run.committedOffsets() == end.filter { $0.value > 0 })

        // `read` is read_committed: the killed process's open transaction was aborted by the restart.
        let expected = MarketReference(raw: try await run.read(run.raw))
        let bars = try MarketOutputs.decode(MarketOutputs.BarRecord.self, try await run.read(run.bars))
        #expect(bars.count == expected.bars.count)
        expectBars(bars.map { ($0.key, $0.values) }, equal: expected, exactlyOnce: true)
        #expect(MarketOutputs.deadLetters(try await run.read(run.invalid)).sorted() == expected.deadLetters.sorted())
        let gaps = try MarketOutputs.decode(MarketReference.Gap.self, try await run.read(run.gaps))
        #expect(gaps.count == expected.gaps.count)
        #expect(Set(gaps) == expected.gaps)
        try await run.dropSchema()
    }

    @Test func exactlyOnceIntoTheDatabaseAfterASIGKILLEveryRowIsStoredOnce() async throws {
        let run = try await MarketTestRun("mp-kill-db")
        try await Self.recordFeed(run)
        let end = try await run.rawEndOffsets()
        let raw = try await run.read(run.raw)

        let first = try run.process(["--guarantee", "exactly-once"])
        try await run.wait(for: first) {
            // The process creates streamkit_offsets as it starts; until then there is nothing stored.
            let stored = try? await MarketOutputs.storedOffsets(run.pg, group: run.appID, topic: run.raw)
            return (stored?.values.reduce(0, +) ?? 0) >= Self.committedBeforeKill
        }
        try await run.kill(first)
        let stored = try await MarketOutputs.storedOffsets(run.pg, group: run.appID, topic: run.raw)
        #expect(stored.values.reduce(0, +) < end.values.reduce(0, +), "killed mid-stream")
        // The offsets were stored with the rows they cover: every valid tick before them is in the table.
        let covered = MarketReference(raw: raw, limits: end.mapValues { _ in 0 }.merging(stored) { $1 })
        let ticksAtKill = Set(try await MarketOutputs.tickRows(run.pg))
        #expect(Set(MarketOutputs.tickRows(covered.validTicks)).isSubset(of: ticksAtKill))

        let second = try run.process(["--guarantee", "exactly-once", "--backtest"])
        try await second.expectSuccess(within: .seconds(300))

        let expected = MarketReference(raw: raw)
        let ticks = try await MarketOutputs.tickRows(run.pg)
        #expect(ticks.count == expected.validTicks.count)
        #expect(Set(ticks) == Set(MarketOutputs.tickRows(expected.validTicks)))
        expectBars(try await MarketOutputs.barRows(run.pg), equal: expected, exactlyOnce: true)
        #expect(
            try await MarketOutputs.storedOffsets(run.pg, group: run.appID, topic: run.raw)
                == end.filter { $0.value > 0 })
        try await run.dropSchema()
    }
}
