import StreamKitTestSupport
import Testing

@testable import StreamKit

@Suite("State restore from changelogs")
struct RestoreTests {
    /// A pipeline with window and EMA state, on the given broker.
    func build(on broker: InMemoryBroker)
        throws -> (StreamApp, Topic<String, Tick>, Topic<String, WindowResult<String, Bar>>, Topic<String, Double>)
    {
        let app = try StreamApp(name: "restore", broker: broker)
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json, partitions: 2)
        let bars = app.topic("bars", key: String.self, value: WindowResult<String, Bar>.self, format: .json)
        let emas = app.topic("emas", key: String.self, value: Double.self, format: .json)
        let frame = app.dataframe(ticks).eventTime(\.tsEventMs)
        frame.tumblingWindow(.seconds(1), name: "bars").aggregate(into: Bar.empty) { $0.add($1) }.final().to(bars)
        frame.ema(alpha: 0.5, name: "mid-ema") { $0.mid }.map(\.baseline).to(emas)
        return (app, ticks, bars, emas)
    }

    func input() -> [Tick] {
        var ticks: [Tick] = []
        for i in 0..<40 {
            let symbol = ["A", "B", "C"][i % 3]
            ticks.append(tick(symbol, mid: Double(10 + i % 7), at: Int64(i * 150), sequence: Int64(i)))
        }
        return ticks
    }

    @Test func crashAfterCheckpointGivesTheSameOutputsAsAnUninterruptedRun() async throws {
        let ticks = input()
        // Uninterrupted.
        let (appA, inA, barsA, emasA) = try build(on: InMemoryBroker())
        let a = try PipelineHarness(appA)
        try a.send(inA, ticks)
        try a.advanceWatermark(to: .at(.seconds(100)))

        // Interrupted: checkpoint after 25 records, lose the process, restore, go on.
        let broker = InMemoryBroker()
        let (appB, inB, barsB, emasB) = try build(on: broker)
        let b = try PipelineHarness(appB)
        try b.send(inB, Array(ticks[..<25]))
        try await b.checkpoint()
        let (appC, inC, _, _) = try build(on: broker)
        let c = try PipelineHarness(appC)  // a new instance: state only from the changelogs
        try c.send(inC, Array(ticks[25...]))
        try c.advanceWatermark(to: .at(.seconds(100)))

        #expect(try c.values(in: barsB) == a.values(in: barsA))
        #expect(try c.values(in: emasB) == a.values(in: emasA))
        #expect(!(try a.values(in: barsA)).isEmpty)
    }

    @Test func recordsAfterTheLastCheckpointAreProcessedAgainAfterACrash() async throws {
        let broker = InMemoryBroker()
        let (app, ticks, _, emas) = try build(on: broker)
        let h = try PipelineHarness(app)
        try h.send(ticks, [tick("A", mid: 10, at: 0)])
        try await h.checkpoint()
        try h.send(ticks, [tick("A", mid: 20, at: 10)])
        try h.restart()
        // 10 → 10; 20 → 15 (lost with the crash, replayed from the uncommitted offset) → 15 again.
        #expect(try h.values(in: emas) == [10, 15, 15])
    }

    @Test func changedStateLayoutIsRefused() async throws {
        let broker = InMemoryBroker()
        let (app, ticks, _, _) = try build(on: broker)
        let h = try PipelineHarness(app)
        try h.send(ticks, [tick("A", mid: 10, at: 0)])
        try await h.checkpoint()

        let changed = try StreamApp(name: "restore", broker: broker)
        let input = changed.topic("ticks", key: String.self, value: Tick.self, format: .json, partitions: 2)
        changed.dataframe(input).tumblingWindow(.seconds(2), name: "bars").count().final()
        #expect {
            try PipelineHarness(changed)
        } throws: { error in
            (error as? StreamAppError)?.code == .stateLayoutChanged
        }
    }

    @Test func windowStoreChangelogKeepsOnlyOpenWindows() async throws {
        let broker = InMemoryBroker()
        let (app, ticks, _, _) = try build(on: broker)
        let h = try PipelineHarness(app)
        try h.send(ticks, [tick("A", mid: 10, at: 0), tick("A", mid: 10, at: 100)])
        try await h.checkpoint()
        try h.send(ticks, [tick("A", mid: 10, at: 1_500)])  // closes [0, 1000)
        try await h.checkpoint()
        // Replaying the changelog as a compacted topic would: last value per key.
        var latest: [[UInt8]: [UInt8]?] = [:]
        for record in h.rawRecords(in: "restore-bars-changelog") { latest[record.key!] = .some(record.value) }
        let live = latest.values.filter { $0 != nil }.count
        // Open: A's [1000, 2000) entry and the watermark record.
        #expect(live == 2)
    }
}
