import StreamKitTestSupport
import Testing

@testable import StreamKit

/// `detectSpikes` compared with the naive `SpikeReference` on random series, rules and directions.
@Suite("Spike rules against a reference")
struct SpikeRulePropertyTests {
    typealias Reading = SpikeRuleTests.Reading

    @Test func alertsMatchTheReference() throws {
        let seed = UInt64.random(in: .min ... .max)
        print("SpikeRulePropertyTests seed: \(seed)")  // replay a failure with `SplitMix64(state: <seed>)`
        var rng = SplitMix64(state: seed)
        var seen: Set<SpikeReference.Alert.Kind> = []
        for trial in 0..<150 {
            let reference = Self.randomReference(using: &rng)
            let input = Self.randomSeries(using: &rng)
            let expected = reference.alerts(input.map { ($0.sensor, $0.value) })
            let actual = try Self.detect(input, as: reference).map {
                SpikeReference.Alert(index: $0.value.index, isRise: $0.direction == .up, isHigh: $0.severity == .high)
            }
            #expect(actual == expected, "seed \(seed), trial \(trial): \(reference)")
            seen.formUnion(expected.map(\.kind))
        }
        #expect(seen.count == 4, "rises and falls, medium and high, were all compared (seed \(seed))")
    }

    /// The operator under test, configured as `reference` says.
    static func detect(_ input: [Reading], as reference: SpikeReference) throws -> [SpikeAlert<Reading>] {
        let rule: SpikeRule =
            switch reference.measure {
            case .ratio: .ratio(reference.threshold, high: reference.high)
            case .delta: .delta(reference.threshold, high: reference.high)
            case .zScore: .zScore(reference.threshold, high: reference.high)
            }
        let direction: SpikeDirection = reference.rises ? (reference.falls ? .both : .up) : .down
        let app = try makeApp()
        let topic = app.topic("readings", key: String.self, value: Reading.self, format: .json)
        let sink = CollectingSink<SpikeAlert<Reading>>()
        app.dataframe(topic)
            .detectSpikes(rule, direction: direction, alpha: reference.alpha, warmUp: reference.warmUp) { $0.value }
            .to(sink)
        let h = try PipelineHarness(app)
        try h.send(topic, input, key: \.sensor, timestamp: { _ in .at(.zero) })
        return sink.values
    }

    static func randomReference(using rng: inout SplitMix64) -> SpikeReference {
        let measure = SpikeReference.Measure.allCases.randomElement(using: &rng)!
        let threshold =
            switch measure {
            case .ratio: Double.random(in: 1...4, using: &rng)
            case .delta: Double.random(in: 0...30, using: &rng)
            case .zScore: Double.random(in: 0.5...4, using: &rng)
            }
        let high = Bool.random(using: &rng) ? threshold + Double.random(in: 0...3, using: &rng) : nil
        let rises = Bool.random(using: &rng)
        return SpikeReference(
            measure: measure, threshold: threshold, high: high, rises: rises,
            falls: rises ? Bool.random(using: &rng) : true, alpha: [0.1, 0.25, 0.5, 0.9].randomElement(using: &rng)!,
            warmUp: Bool.random(using: &rng) ? nil : Int.random(in: 1...5, using: &rng))
    }

    /// Three sensors walking around levels of either sign, with a jump now and then (and some exact zeros).
    static func randomSeries(using rng: inout SplitMix64) -> [Reading] {
        var levels = [
            "a": Double.random(in: -30...30, using: &rng), "b": 0, "c": Double.random(in: -5...5, using: &rng),
        ]
        return (0..<60).map { index in
            let sensor = ["a", "b", "c"].randomElement(using: &rng)!
            var level = levels[sensor]! + Double.random(in: -2...2, using: &rng)
            if Int.random(in: 0..<10, using: &rng) == 0 { level += Double.random(in: -80...80, using: &rng) }
            if sensor == "b", Bool.random(using: &rng) { level = 0 }
            levels[sensor] = level
            return Reading(sensor: sensor, value: level, index: index)
        }
    }
}
