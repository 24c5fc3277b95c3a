import StreamKitTestSupport
import Testing

@testable import StreamKit

@Suite("Hopping windows")
struct HoppingWindowTests {
    @Test func eachRecordLandsInEveryOverlappingWindow() throws {
        let app = try makeApp()
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json)
        let sums = app.topic("sums", key: String.self, value: WindowResult<String, Double>.self, format: .json)
        app.dataframe(ticks).eventTime(\.tsEventMs)
            .hoppingWindow(.seconds(3), every: .seconds(1)).sum(\.mid).final().to(sums)
        let h = try PipelineHarness(app)
        // t = 2500 is in [0,3000), [1000,4000), [2000,5000); t = 3500 in [1000,4000), [2000,5000), [3000,6000).
        try h.send(ticks, [tick(mid: 1, at: 2_500), tick(mid: 10, at: 3_500)])
        try h.advanceWatermark(to: .at(.seconds(6)))
        let result = try h.values(in: sums)
        #expect(result.map(\.start.milliseconds) == [0, 1_000, 2_000, 3_000])
        #expect(result.map(\.value) == [1, 11, 11, 10])
        #expect(result.map(\.end.milliseconds) == [3_000, 4_000, 5_000, 6_000])
    }
}
