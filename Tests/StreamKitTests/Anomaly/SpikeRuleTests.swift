import Testing

@testable import StreamKit

/// `detectSpikes` with each rule and direction, against values worked out by hand.
@Suite("Spike rules")
struct SpikeRuleTests {
    struct Reading: Codable, Hashable, Sendable {
        var sensor: String
        var value: Double
        /// The reading's position in a generated series (`SpikeRulePropertyTests`).
        var index = 0
    }

    /// A spike detector per (rule, direction, warm-up) over one input; `run` sends readings and returns the alerts
    /// of each detector, in that order.
    struct Detectors {
        let app: StreamApp
        let input: Topic<String, Reading>
        var sinks: [CollectingSink<SpikeAlert<Reading>>] = []

        init() throws {
            app = try makeApp()
            input = app.topic("readings", key: String.self, value: Reading.self, format: .json)
        }

        mutating func add(_ rule: SpikeRule, direction: SpikeDirection = .up, alpha: Double, warmUp: Int? = nil) {
            let sink = CollectingSink<SpikeAlert<Reading>>()
            app.dataframe(input).detectSpikes(rule, direction: direction, alpha: alpha, warmUp: warmUp) { $0.value }
                .to(sink)
            sinks.append(sink)
        }

        func send(_ h: PipelineHarness, _ values: [Double], sensor: String = "s1") throws {
            let readings = values.map { Reading(sensor: sensor, value: $0) }
            try h.send(input, readings, key: \.sensor, timestamp: { _ in .at(.zero) })
        }

        func run(_ values: [Double]) throws -> [[SpikeAlert<Reading>]] {
            let h = try PipelineHarness(app)
            try send(h, values)
            return sinks.map(\.values)
        }
    }

    @Test func ratioRuleFlagsRisesAsTheOriginalOperatorDid() throws {
        var d = try Detectors()
        d.add(.ratio(2, high: 3), alpha: 0.3)
        // Baselines (α = 0.3): 100 → [150: 1.5×, no alert] 0.3·150 + 0.7·100 = 115
        // → [250 vs 115: 2.17× MEDIUM] 0.3·250 + 0.7·115 = 155.5 → [500 vs 155.5: 3.22× HIGH]
        // → 0.3·500 + 0.7·155.5 = 258.85 → [200 vs 258.85: no alert; a fall is not watched]
        let alerts = try d.run([100, 150, 250, 500, 200])[0]
        #expect(alerts.map(\.observed) == [250, 500])
        #expect(alerts.map(\.severity) == [.medium, .high])
        #expect(alerts.map(\.direction) == [.up, .up])
        #expect(abs(alerts[0].baseline - 115) < 1e-9)
        #expect(abs(alerts[1].baseline - 155.5) < 1e-9)
        #expect(abs(alerts[1].ratio! - 500 / 155.5) < 1e-9)
    }

    @Test func ratioRuleFlagsFallsBelowTheBaselineOverTheThreshold() throws {
        var d = try Detectors()
        d.add(.ratio(2, high: 3), direction: .down, alpha: 0.5)
        // 100 → [40 < 100/2: 0.4×, MEDIUM (not below 1/3)] → 70 → [20 < 35: 0.286× < 1/3, HIGH] → 45
        // → [60 vs 45: a rise, not watched]
        let alerts = try d.run([100, 40, 20, 60])[0]
        #expect(alerts.map(\.observed) == [40, 20])
        #expect(alerts.map(\.direction) == [.down, .down])
        #expect(alerts.map(\.severity) == [.medium, .high])
        #expect(alerts.map(\.baseline) == [100, 70])
    }

    @Test func ratioRuleScalesNegativeBaselinesByTheirMagnitude() throws {
        var d = try Detectors()
        d.add(.ratio(2), direction: .both, alpha: 0.5)
        let h = try PipelineHarness(d.app)
        // A freezer at −20 °C: a rise must pass −20 + (2 − 1)·20 = 0, a fall −20 − (1 − 1/2)·20 = −30.
        // −20 vs −20: neither. 25 vs −20: above 0, rise, ratio 1 + 45/20 = 3.25.
        try d.send(h, [-20, -20, 25], sensor: "freezer")
        // −5 vs −20: a rise of 15 < 20, nothing; baseline −12.5. −40: below −12.5 − 6.25 = −18.75, fall,
        // ratio 1 − 27.5/12.5 = −1.2.
        try d.send(h, [-20, -5, -40], sensor: "chiller")
        let alerts = d.sinks[0].values
        #expect(alerts.map(\.value.sensor) == ["freezer", "chiller"])
        #expect(alerts.map(\.observed) == [25, -40])
        #expect(alerts.map(\.baseline) == [-20, -12.5])
        #expect(alerts.map(\.direction) == [.up, .down])
        #expect(alerts.map(\.severity) == [.medium, .medium])
        #expect(alerts[0].ratio == 3.25)
        #expect(abs(alerts[1].ratio! - -1.2) < 1e-12)
        #expect(alerts.map(\.deviation) == [45, -27.5])
    }

    @Test func zeroBaselineRaisesNoRatioAlertButADeltaOne() throws {
        var d = try Detectors()
        d.add(.ratio(2), direction: .both, alpha: 0.5)
        d.add(.delta(3), direction: .both, alpha: 0.5)
        // 0, 0: the baseline stays 0; 5 vs 0 is no finite ratio, but 5 away.
        let alerts = try d.run([0, 0, 5])
        #expect(alerts[0].isEmpty)
        #expect(alerts[1].map(\.observed) == [5])
        #expect(alerts[1].map(\.baseline) == [0])
        #expect(alerts[1].map(\.direction) == [.up])
        #expect(alerts[1][0].ratio == nil)
        #expect(alerts[1][0].deviation == 5)
    }

    @Test func deltaRuleInEachDirection() throws {
        var d = try Detectors()
        for direction in [SpikeDirection.up, .down, .both] {
            d.add(.delta(10, high: 20), direction: direction, alpha: 0.5)
        }
        // 50 → [65: +15 rise, MEDIUM] → 57.5 → [40: −17.5 fall, MEDIUM] → 48.75 → [52: +3.25, nothing]
        // → 50.375 → [20: −30.375 fall, HIGH] → 35.1875
        let alerts = try d.run([50, 65, 40, 52, 20])
        #expect(alerts[0].map(\.observed) == [65])
        #expect(alerts[1].map(\.observed) == [40, 20])
        #expect(alerts[2].map(\.observed) == [65, 40, 20])
        #expect(alerts[2].map(\.direction) == [.up, .down, .down])
        #expect(alerts[2].map(\.severity) == [.medium, .medium, .high])
        #expect(alerts[2].map(\.deviation) == [15, -17.5, -30.375])
    }

    @Test func zScoreRuleWaitsForItsWarmUp() throws {
        var d = try Detectors()
        d.add(.zScore(3, high: 5), direction: .both, alpha: 0.5)  // default warm-up: ⌈2/0.5 − 1⌉ = 3
        d.add(.zScore(3, high: 5), direction: .both, alpha: 0.5, warmUp: 2)
        let alerts = try d.run(Self.zScoreSeries)
        // See `zScoreSeries`: 20 scores 9 but comes during the warm-up of 3; 30 and −10 come after it.
        #expect(alerts[0].map(\.observed) == [30, -10])
        #expect(alerts[0].map(\.direction) == [.up, .down])
        #expect(alerts[0].map(\.severity) == [.medium, .medium])
        #expect(alerts[0].map(\.baseline) == [14.75, 22.375])
        #expect(alerts[0].map(\.standardDeviation) == [Double(10.9375).squareRoot(), Double(63.609375).squareRoot()])
        #expect(abs(alerts[0][0].zScore! - 4.611) < 1e-3)
        #expect(abs(alerts[0][1].zScore! - -4.059) < 1e-3)
        // With a warm-up of 2 the 20 is judged: (20 − 11) / √1 = 9, HIGH.
        #expect(alerts[1].map(\.observed) == [20, 30, -10])
        #expect(alerts[1].first?.zScore == 9)
        #expect(alerts[1].first?.severity == .high)
    }

    /// EW mean m and variance s² (α = 0.5; `s² = (1 − α)·(s² + diff·α·diff)`), before → after each value:
    /// 10 → m 10, s² 0 · 12 → m 11, s² 0.5·(0 + 2·1) = 1 · 20 (z = 9/1 = 9) → m 15.5, s² 0.5·(1 + 9·4.5) = 20.75 ·
    /// 14 (z = −1.5/4.555 = −0.33) → m 14.75, s² 0.5·(20.75 + 1.5·0.75) = 10.9375 ·
    /// 30 (z = 15.25/3.307 = 4.611) → m 22.375, s² 0.5·(10.9375 + 15.25·7.625) = 63.609375 ·
    /// −10 (z = −32.375/7.976 = −4.059).
    static let zScoreSeries: [Double] = [10, 12, 20, 14, 30, -10]

    @Test func zScoreStateSurvivesACrashThroughItsChangelog() async throws {
        var d = try Detectors()
        d.add(.zScore(3, high: 5), direction: .both, alpha: 0.5)
        let h = try PipelineHarness(d.app)
        try d.send(h, Array(Self.zScoreSeries[..<4]))
        try await h.checkpoint()
        try h.restart()  // in-memory state lost; mean, variance and count come back from the changelog
        try d.send(h, Array(Self.zScoreSeries[4...]))
        // As in the uninterrupted run worked out above; without the restored state 30 would only start a baseline.
        let alerts = d.sinks[0].values
        #expect(alerts.map(\.observed) == [30, -10])
        #expect(alerts.map(\.baseline) == [14.75, 22.375])
        #expect(alerts.map(\.standardDeviation) == [Double(10.9375).squareRoot(), Double(63.609375).squareRoot()])
    }
}
