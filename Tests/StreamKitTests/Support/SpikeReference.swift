/// A naive spike detector written from `SpikeRule`'s documentation, for the property tests: exponentially weighted
/// mean and variance per key in their textbook form, and each rule as a comparison of the deviation with a bound
/// (never through the operator's code).
struct SpikeReference {
    enum Measure: CaseIterable {
        case ratio
        case delta
        case zScore
    }

    /// One alert: the position of the value in the input, which way it moved, and whether it was beyond `high`.
    struct Alert: Hashable, CustomStringConvertible {
        var index: Int
        var isRise: Bool
        var isHigh: Bool
        var description: String { "#\(index) \(isRise ? "up" : "down")\(isHigh ? " HIGH" : "")" }
        /// Direction and severity, without the position.
        var kind: Kind { Kind(isRise: isRise, isHigh: isHigh) }

        struct Kind: Hashable {
            var isRise: Bool
            var isHigh: Bool
        }
    }

    var measure: Measure
    var threshold: Double
    var high: Double?
    var rises: Bool
    var falls: Bool
    var alpha: Double
    /// `nil`: the documented default (1, or `⌈2/α − 1⌉` but at least 2 for the z-score).
    var warmUp: Int?

    func alerts(_ input: [(key: String, value: Double)]) -> [Alert] {
        let warmUp = warmUp ?? (measure == .zScore ? max(2, Int((2 / alpha - 1).rounded(.up))) : 1)
        var stats: [String: (count: Int, mean: Double, variance: Double)] = [:]
        var alerts: [Alert] = []
        for (index, (key, v)) in input.enumerated() {
            guard let before = stats[key] else {
                stats[key] = (1, v, 0)
                continue
            }
            let d = v - before.mean
            stats[key] = (before.count + 1, before.mean + alpha * d, (1 - alpha) * (before.variance + alpha * d * d))
            guard before.count >= max(1, warmUp), let bounds = bounds(mean: before.mean, variance: before.variance)
            else { continue }
            if rises, d > bounds.rise(threshold) {
                alerts.append(Alert(index: index, isRise: true, isHigh: high.map { d > bounds.rise($0) } ?? false))
            } else if falls, -d > bounds.fall(threshold) {
                alerts.append(Alert(index: index, isRise: false, isHigh: high.map { -d > bounds.fall($0) } ?? false))
            }
        }
        return alerts
    }

    /// How far a value must rise or fall from the mean for a given threshold; `nil` when the rule cannot judge.
    func bounds(mean: Double, variance: Double) -> (rise: (Double) -> Double, fall: (Double) -> Double)? {
        switch measure {
        case .ratio:
            guard mean != 0 else { return nil }
            return ({ ($0 - 1) * abs(mean) }, { (1 - 1 / $0) * abs(mean) })
        case .delta:
            return ({ $0 }, { $0 })
        case .zScore:
            let sd = variance.squareRoot()
            guard sd > 0 else { return nil }
            return ({ $0 * sd }, { $0 * sd })
        }
    }
}
