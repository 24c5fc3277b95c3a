import StreamKitTestSupport
import Testing

@testable import StreamKit

@Suite("Tumbling windows")
struct TumblingWindowTests {
    /// ticks → 1 s bars with 200 ms grace, `.final()`.
    func makePipeline() throws -> (PipelineHarness, Topic<String, Tick>, Topic<String, WindowResult<String, Bar>>) {
        let app = try makeApp()
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json)
        let bars = app.topic("bars", key: String.self, value: WindowResult<String, Bar>.self, format: .json)
        app.dataframe(ticks)
            .eventTime(\.tsEventMs)
            .tumblingWindow(.seconds(1), grace: .milliseconds(200))
            .aggregate(into: Bar.empty) { bar, tick in bar.add(tick) }
            .final()
            .to(bars)
        return (try PipelineHarness(app), ticks, bars)
    }

    @Test func closesAtEndPlusGraceAndNotBefore() throws {
        let (h, ticks, bars) = try makePipeline()
        try h.send(ticks, [tick(mid: 10, at: 100), tick(mid: 11, at: 900)])
        try h.advanceWatermark(to: .at(.milliseconds(1_199)))  // end 1000 + grace 200 = 1200 not reached
        #expect(try h.values(in: bars).isEmpty)
        try h.advanceWatermark(to: .at(.milliseconds(1_200)))
        let result = try h.values(in: bars)
        // (10 + 11) / 2 = 10.5; min bid = 10 − 0.5; max ask = 11 + 0.5
        #expect(result.count == 1)
        #expect(result.first?.start == .at(.zero))
        #expect(result.first?.end == .at(.seconds(1)))
        #expect(result.first?.value.count == 2)
        #expect(result.first?.value.meanMid == 10.5)
        #expect(result.first?.value.minBid == 9.5)
        #expect(result.first?.value.maxAsk == 11.5)
    }

    @Test func boundaryRecordOpensTheNextWindow() throws {
        let (h, ticks, bars) = try makePipeline()
        // 999 is in [0, 1000); 1000 is in [1000, 2000).
        try h.send(ticks, [tick(mid: 1, at: 999), tick(mid: 2, at: 1_000), tick(mid: 3, at: 2_200)])
        // Watermark 2200 ≥ 1000 + 200 closes the first; 2000 + 200 closes the second.
        let result = try h.values(in: bars)
        #expect(result.map(\.start.milliseconds) == [0, 1_000])
        #expect(result.map(\.value.count) == [1, 1])
        #expect(result.map(\.value.meanMid) == [1, 2])
    }

    @Test func recordWithinGraceIsAcceptedAndLateOneIsCountedAndRouted() throws {
        let app = try makeApp()
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json)
        let counts = app.topic("counts", key: String.self, value: WindowResult<String, Int>.self, format: .json)
        let late = app.topic("late", key: String.self, value: Tick.self, format: .json)
        let aggregation = app.dataframe(ticks).eventTime(\.tsEventMs)
            .tumblingWindow(.seconds(1), grace: .milliseconds(200)).count()
        aggregation.final().to(counts)
        aggregation.lateRecords.map(\.value).to(late)
        let h = try PipelineHarness(app)

        try h.send(ticks, [tick(mid: 1, at: 500), tick(mid: 1, at: 1_150)])  // watermark 1150 < 1200
        try h.send(ticks, [tick(mid: 1, at: 900)])  // in grace: accepted into [0, 1000)
        try h.send(ticks, [tick(mid: 1, at: 1_300)])  // watermark 1300 closes [0, 1000)
        try h.send(ticks, [tick(mid: 1, at: 700, sequence: 7)])  // late
        #expect(try h.values(in: counts).map(\.value) == [2])
        #expect(try h.values(in: late).map(\.sequence) == [7])
    }

    @Test func currentEmitsEveryUpdateAndFinalOnlyAtClose() throws {
        let app = try makeApp()
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json)
        let current = app.topic("current", key: String.self, value: WindowResult<String, Double>.self, format: .json)
        let final = app.topic("final", key: String.self, value: WindowResult<String, Double>.self, format: .json)
        let sums = app.dataframe(ticks).eventTime(\.tsEventMs).tumblingWindow(.seconds(1)).sum(\.mid)
        sums.current().to(current)
        sums.final().to(final)
        let h = try PipelineHarness(app)
        try h.send(ticks, [tick(mid: 1, at: 0), tick(mid: 2, at: 10), tick(mid: 4, at: 20)])
        #expect(try h.values(in: current).map(\.value) == [1, 3, 7])
        #expect(try h.values(in: final).isEmpty)
        try h.advanceWatermark(to: .at(.seconds(1)))
        #expect(try h.values(in: final).map(\.value) == [7])
    }

    @Test func keysHaveSeparateWindowsEmittedInArrivalOrder() throws {
        let app = try makeApp()
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json)
        let counts = app.topic("counts", key: String.self, value: WindowResult<String, Int>.self, format: .json)
        app.dataframe(ticks).eventTime(\.tsEventMs).tumblingWindow(.seconds(1)).count().final().to(counts)
        let h = try PipelineHarness(app)
        try h.send(ticks, [tick("B", mid: 1, at: 1), tick("A", mid: 1, at: 2), tick("B", mid: 1, at: 3)])
        try h.advanceWatermark(to: .at(.seconds(1)))
        let result = try h.values(in: counts)
        #expect(result.map(\.key) == ["B", "A"])
        #expect(result.map(\.value) == [2, 1])
    }

    @Test func idlePartitionClosesItsWindowsByWallClock() throws {
        let app = try makeApp()
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json)
        let counts = app.topic("counts", key: String.self, value: WindowResult<String, Int>.self, format: .json)
        app.dataframe(ticks).eventTime(\.tsEventMs)
            .tumblingWindow(.seconds(1), grace: .milliseconds(200), closeAfterIdle: .seconds(5))
            .count().final().to(counts)
        let h = try PipelineHarness(app)
        try h.send(ticks, [tick("QUIET", mid: 1, at: 100)])
        try h.advanceClock(by: .milliseconds(4_999))
        #expect(try h.values(in: counts).isEmpty)
        try h.advanceClock(by: .milliseconds(1))
        #expect(try h.values(in: counts).map(\.value) == [1])
        // The window is closed now: a record for it is late, not a second result.
        try h.send(ticks, [tick("QUIET", mid: 1, at: 200)])
        try h.advanceClock(by: .seconds(10))
        #expect(try h.values(in: counts).map(\.value) == [1])
    }

    @Test func negativeTimesAlignToFloor() throws {
        let app = try makeApp()
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json)
        let counts = app.topic("counts", key: String.self, value: WindowResult<String, Int>.self, format: .json)
        app.dataframe(ticks).eventTime(\.tsEventMs).tumblingWindow(.seconds(1)).count().final().to(counts)
        let h = try PipelineHarness(app)
        try h.send(ticks, [tick(mid: 1, at: -1)])
        try h.advanceWatermark(to: .at(.seconds(1)))
        #expect(try h.values(in: counts).map(\.start.milliseconds) == [-1_000])
    }
}
