import StreamKitTestSupport
import Testing

@testable import StreamKit

/// The code shown in the DSL's doc comments, compiled as written and run: a snippet that stops compiling (a
/// renamed parameter, a `Duration` helper that does not exist) fails the build here.
@Suite("Doc comment snippets")
struct DocCommentSnippetTests {
    struct OrderLine: Codable, Sendable {
        var productId: String
        var quantity: Int
    }

    struct Price: Codable, Sendable {
        var value: Double
    }

    @Test("keyBy, hoppingWindow and dedupe as their doc comments show them")
    func snippets() async throws {
        let app = try StreamApp(name: "snippets", broker: InMemoryBroker())
        let lines = app.topic("order-lines", key: String.self, value: OrderLine.self, format: .json)
        let priceTopic = app.topic("prices", key: String.self, value: Price.self, format: .json)
        let tickTopic = app.topic("ticks", key: String.self, value: Tick.self, format: .json)
        let orderLines = app.dataframe(lines)
        let prices = app.dataframe(priceTopic)
        let ticks = app.dataframe(tickTopic)

        // DataFrame.keyBy(name:_:)
        let perProduct = orderLines.keyBy { $0.productId }
            .tumblingWindow(.seconds(300))
        // WindowedDataFrame.hoppingWindow(_:every:…)
        let hopping = prices.hoppingWindow(.seconds(300), every: .seconds(60))  // each record is in 5 windows
        // DataFrame.dedupe(by:within:name:)
        let unique = ticks.dedupe(by: \.sequence, within: .seconds(300))

        let counted = CollectingSink<WindowResult<String, Int>>()
        perProduct.count().final().to(counted)
        let inWindows = CollectingSink<WindowResult<String, Int>>()
        hopping.count().current().to(inWindows)
        let kept = CollectingSink<Tick>()
        unique.to(kept)

        let h = try PipelineHarness(app)
        try h.send(lines, key: "o1", value: OrderLine(productId: "p", quantity: 1), timestamp: .at(.seconds(10)))
        try h.send(priceTopic, key: "x", value: Price(value: 1), timestamp: .at(.seconds(400)))
        for _ in 0..<2 {
            try h.send(tickTopic, key: "t", value: tick(mid: 10, at: 1_000, sequence: 7), timestamp: .at(.seconds(1)))
        }
        try h.advanceWatermark(to: .at(.seconds(1_000)))
        try await h.checkpoint()

        #expect(counted.values.map(\.value) == [1])
        #expect(inWindows.values.count == 5)  // 400 s lies in the windows starting at 120, 180, 240, 300, 360 s
        #expect(kept.values.map(\.sequence) == [7])
    }
}
