import StreamKitTestSupport
import Testing

@testable import StreamKit

@Suite("AsyncSequence sources")
struct AsyncSequenceSourceTests {
    /// 10 000 ticks over 4 symbols, 1 ms apart: 4 per millisecond... every key gets 2 500 ticks in [0, 2500 ms).
    static func ticks() -> AsyncStream<Tick> {
        AsyncStream { continuation in
            for i in 0..<10_000 { continuation.yield(tick(["A", "B", "C", "D"][i % 4], mid: 1, at: Int64(i / 4))) }
            continuation.finish()
        }
    }

    func build() throws -> (StreamApp, CollectingSink<WindowResult<String, Int>>) {
        let app = try makeApp("async-source")
        let sink = CollectingSink<WindowResult<String, Int>>()
        app.dataframe(from: Self.ticks(), name: "feed", key: \.symbol, timestamp: { .init(milliseconds: $0.tsEventMs) })
            .tumblingWindow(.seconds(1)).count().final().to(sink)
        return (app, sink)
    }

    @Test func runsUnderTheRuntimeWithNoTopics() async throws {
        let (app, sink) = try build()
        try await app.run(mode: .backtest)
        // Windows [0,1000), [1000,2000) hold 1 000 ms × 4 ticks / 4 keys = 1 000 per key; [2000,2500) 500.
        let counts = Dictionary(grouping: sink.flushedValues, by: \.start.milliseconds).mapValues { $0.map(\.value) }
        #expect(counts[0] == [1_000, 1_000, 1_000, 1_000])
        #expect(counts[1_000] == [1_000, 1_000, 1_000, 1_000])
        #expect(counts[2_000] == [500, 500, 500, 500])
    }

    @Test func runsUnderTheHarness() async throws {
        let (app, sink) = try build()
        let h = try PipelineHarness(app)
        try await h.processAsyncSources()
        try h.advanceWatermark(to: .init(milliseconds: 10_000))
        #expect(sink.values.map(\.value).reduce(0, +) == 10_000)
        #expect(sink.values.count == 12)
    }
}
