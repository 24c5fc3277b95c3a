import Foundation
import StreamKit
import StreamKitTestSupport
import Testing

/// `market-pipeline process` on a recorded feed, SIGKILLed mid-stream (once a checkpoint has committed some
/// offsets, long before the end of the input) and restarted as a backtest: the outputs still equal the
/// reference computed from the recorded input. At least once, every window is there (repeats allowed); exactly
/// once, every window, dead letter and gap is there once under `read_committed`, and in the database every row
/// is stored once with the offsets of the last committed batch.
@Suite(.enabled(if: TestEnvironment.hasKafkaAndTimescale, SkipReason.noKafkaOrTimescale))
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

    /// Runs `process` with `arguments`, SIGKILLs it once `ready` holds (then calls `afterKill`), restarts it as a
    /// backtest and waits for the end. Checks that the kill came mid-stream, that the restart read exactly the
    /// records after the group's committed offsets, and that it committed the end of the input.
    static func killAndRestart(
        _ run: MarketTestRun, _ arguments: [String], database: Bool, end: [Int: Int64],
        when ready: () async throws -> Bool, afterKill: () async throws -> Void = {}
    ) async throws {
        let first = try run.process(arguments, database: database)
        try await first.waitUntil("the moment to kill it", ready)
        try await run.kill(first)
        let remaining = end.values.reduce(0, +) - (try await run.committedOffsets().values.reduce(0, +))
        #expect(remaining > 0, "killed mid-stream")
        try await afterKill()

        let second = try run.process(arguments + ["--backtest"], database: database)
        try await second.expectSuccess(within: .seconds(300))
        #expect(
            MarketTestRun.recordsRead(by: second).map(Int64.init) == remaining,
            "the restart resumed at the committed offsets")
        #expect(try await run.committedOffsets() == end.filter { $0.value > 0 })
    }

    @Test func atLeastOnceAfterASIGKILLEveryWindowIsPresent() async throws {
        let run = try await MarketTestRun("mp-kill-alo")
        try await Self.recordFeed(run)
        try await Self.killAndRestart(run, [], database: false, end: try await run.rawEndOffsets()) {
            try await run.committedOffsets().values.reduce(0, +) >= Self.committedBeforeKill
        }

        let expected = MarketReference(raw: try await run.read(run.raw))
        let bars = try MarketOutputs.decode(MarketOutputs.BarRecord.self, try await run.read(run.bars))
        expectBars(bars.map { ($0.key, $0.values) }, equal: expected, exactlyOnce: false)
        try await run.dropSchema()
    }

    @Test func exactlyOnceAfterASIGKILLEveryWindowIsPresentOnce() async throws {
        let run = try await MarketTestRun("mp-kill-eos")
        try await Self.recordFeed(run)
        try await Self.killAndRestart(
            run, ["--guarantee", "exactly-once"], database: false, end: try await run.rawEndOffsets()
        ) {
            try await run.committedOffsets().values.reduce(0, +) >= Self.committedBeforeKill
        }

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
        let storedOffsets = { try await MarketOutputs.storedOffsets(run.pg, group: run.appID, topic: run.raw) }

        try await Self.killAndRestart(run, ["--guarantee", "exactly-once"], database: true, end: end) {
            // The process creates streamkit_offsets as it starts; until then there is nothing stored.
            ((try? await storedOffsets())?.values.reduce(0, +) ?? 0) >= Self.committedBeforeKill
        } afterKill: {
            // The offsets were stored with the rows they cover: every valid tick before them is in the table.
            let covered = MarketReference(
                raw: raw, limits: end.mapValues { _ in 0 }.merging(try await storedOffsets()) { $1 })
            let ticksAtKill = Set(try await MarketOutputs.tickRows(run.pg))
            #expect(Set(MarketOutputs.tickRows(covered.validTicks)).isSubset(of: ticksAtKill))
        }

        let expected = MarketReference(raw: raw)
        let ticks = try await MarketOutputs.tickRows(run.pg)
        #expect(ticks.count == expected.validTicks.count)
        #expect(Set(ticks) == Set(MarketOutputs.tickRows(expected.validTicks)))
        expectBars(try await MarketOutputs.barRows(run.pg), equal: expected, exactlyOnce: true)
        #expect(try await storedOffsets() == end.filter { $0.value > 0 })
        try await run.dropSchema()
    }
}
