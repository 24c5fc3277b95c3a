import Testing

@testable import StreamKit

@Suite("EMA and spike detection")
struct EMATests {
    struct Sale: Codable, Hashable, Sendable {
        var product: String
        var revenue: Double
    }

    func sales(_ revenues: [Double], product: String = "P1") -> [Sale] {
        revenues.map { Sale(product: product, revenue: $0) }
    }

    @Test func baselineIsComparedBeforeItIsUpdated() throws {
        let app = try makeApp()
        let input = app.topic("sales", key: String.self, value: Sale.self, format: .json)
        let out = app.topic("ema", key: String.self, value: EMAUpdate<Sale>.self, format: .json)
        app.dataframe(input).ema(alpha: 0.5) { $0.revenue }.to(out)
        let h = try PipelineHarness(app)
        try h.send(input, sales([10, 20, 40]), key: \.product, timestamp: { _ in .at(.zero) })
        let steps = try h.values(in: out)
        // 10 initialises; 20 vs 10 → 0.5·20 + 0.5·10 = 15; 40 vs 15 → 0.5·40 + 0.5·15 = 27.5
        #expect(steps.map(\.previousBaseline) == [nil, 10, 15])
        #expect(steps.map(\.baseline) == [10, 15, 27.5])
        #expect(steps.map(\.ratio) == [nil, 2, 40.0 / 15])
        // EW variance: diff 10, incr 5 → 0.5·(0 + 50) = 25; diff 25, incr 12.5 → 0.5·(25 + 312.5) = 168.75
        #expect(steps.map(\.variance) == [0, 25, 168.75])
    }

    @Test func spikesAboveTwiceBaselineWithSeverity() throws {
        let app = try makeApp()
        let input = app.topic("sales", key: String.self, value: Sale.self, format: .json)
        let alerts = app.topic("alerts", key: String.self, value: SpikeAlert<Sale>.self, format: .json)
        app.dataframe(input).detectSpikes(alpha: 0.3, threshold: 2, highThreshold: 3) { $0.revenue }.to(alerts)
        let h = try PipelineHarness(app)
        // Baselines (α = 0.3): 100 → [150: 1.5×, no alert] 0.3·150 + 0.7·100 = 115
        // → [250 vs 115: 2.17× MEDIUM] 0.3·250 + 0.7·115 = 155.5 → [500 vs 155.5: 3.22× HIGH]
        // → 0.3·500 + 0.7·155.5 = 258.85 → [200 vs 258.85: no alert]
        try h.send(input, sales([100, 150, 250, 500, 200]), key: \.product, timestamp: { _ in .at(.zero) })
        let result = try h.values(in: alerts)
        #expect(result.map(\.observed) == [250, 500])
        #expect(result.map(\.severity) == [.medium, .high])
        #expect(abs(result[0].baseline - 115) < 1e-9)
        #expect(abs(result[1].baseline - 155.5) < 1e-9)
        #expect(abs(result[1].ratio! - 500 / 155.5) < 1e-9)
    }

    @Test func warmUpSuppressesEarlyAlertsAndKeysAreIndependent() throws {
        let app = try makeApp()
        let input = app.topic("sales", key: String.self, value: Sale.self, format: .json)
        let alerts = app.topic("alerts", key: String.self, value: SpikeAlert<Sale>.self, format: .json)
        app.dataframe(input).detectSpikes(alpha: 0.5, warmUp: 2) { $0.revenue }.to(alerts)
        let h = try PipelineHarness(app)
        // P1: 10, then 100 (10× but only 1 value seen: warm-up 2), baseline 55, then 200 vs 55 → 3.6× HIGH.
        // P2: 10, then 15: never above 2×.
        let values = [
            Sale(product: "P1", revenue: 10), Sale(product: "P2", revenue: 10),
            Sale(product: "P1", revenue: 100), Sale(product: "P2", revenue: 15),
            Sale(product: "P1", revenue: 200),
        ]
        try h.send(input, values, key: \.product, timestamp: { _ in .at(.zero) })
        let result = try h.values(in: alerts)
        #expect(result.map(\.value.product) == ["P1"])
        #expect(result.map(\.observed) == [200])
        #expect(result.map(\.severity) == [.high])
    }
}
