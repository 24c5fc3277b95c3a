/// What makes a value a spike against its key's exponentially weighted baseline, in `detectSpikes`.
///
/// Each rule measures how far a value lies from the statistics of the values before it, and alerts beyond a
/// threshold (severity `.medium`) or a high threshold (`.high`); `detectSpikes(_:direction:…)` picks the rises,
/// the falls or both.
///
///     readings.detectSpikes(.ratio(2, high: 3), alpha: 0.3) { $0.revenue }        // above 2× the baseline
///     readings.detectSpikes(.delta(15), direction: .both, alpha: 0.2) { $0.celsius }  // 15 °C either way
///     readings.detectSpikes(.zScore(3, high: 5), direction: .both, alpha: 0.1) { $0.latencyMs }
public struct SpikeRule: Hashable, Sendable {
    @usableFromInline
    enum Measure: Hashable, Sendable {
        case ratio
        case delta
        case zScore
    }

    @usableFromInline
    let measure: Measure
    /// Beyond this a value is a spike (severity `.medium`).
    public let threshold: Double
    /// Beyond this a spike is `.high`; `nil` when every spike is `.medium`.
    public let highThreshold: Double?

    @inlinable
    init(_ measure: Measure, threshold: Double, high: Double?) {
        precondition(high.map { $0 >= threshold } ?? true, "the high threshold must be at least the threshold")
        self.measure = measure
        self.threshold = threshold
        self.highThreshold = high
    }

    /// A spike is a value `threshold` times its baseline: above `threshold × baseline` when rising, below
    /// `baseline / threshold` when falling (a threshold of 2 flags a doubling and a halving).
    ///
    /// The comparison is made against the baseline's magnitude, so negative baselines work the same way: a
    /// rise must exceed the baseline by `(threshold − 1) × |baseline|`, a fall must go below it by
    /// `(1 − 1/threshold) × |baseline|`. A freezer at −20 °C rises to a spike of threshold 2 above 0 °C, and
    /// falls to one below −30 °C. See ``SpikeAlert/ratio``.
    ///
    /// A zero baseline has no magnitude to scale, so this rule never fires against it (a key whose values so
    /// far were all 0); watch such series with ``delta(_:high:)``.
    ///
    /// - Parameters:
    ///   - threshold: At least 1.
    ///   - high: Severity `.high` beyond `high` times the baseline, measured the same way; at least `threshold`.
    @inlinable
    public static func ratio(_ threshold: Double, high: Double? = nil) -> SpikeRule {
        precondition(threshold >= 1, "a ratio threshold must be at least 1")
        return SpikeRule(.ratio, threshold: threshold, high: high)
    }

    /// A spike is a value more than `threshold` away from its baseline, in the observed unit:
    /// `|value − baseline| > threshold` in the chosen direction. Baselines of any sign, zero included, work alike.
    ///
    /// - Parameters:
    ///   - threshold: Not negative.
    ///   - high: Severity `.high` more than `high` away; at least `threshold`.
    @inlinable
    public static func delta(_ threshold: Double, high: Double? = nil) -> SpikeRule {
        precondition(threshold >= 0, "a delta threshold must not be negative")
        return SpikeRule(.delta, threshold: threshold, high: high)
    }

    /// A spike is a value more than `threshold` standard deviations from its baseline:
    /// `|value − mean| > threshold × stddev`, with the exponentially weighted mean and variance of the values
    /// before it (the same α as the baseline).
    ///
    /// The variance needs a few values to mean anything, so by default `detectSpikes` waits for the span of its
    /// smoothing factor, `⌈2/α − 1⌉` values (at least 2), before this rule may fire. A key whose values have
    /// shown no spread yet (stddev 0) raises nothing; combine with ``delta(_:high:)`` for series that sit still.
    ///
    /// - Parameters:
    ///   - threshold: Positive.
    ///   - high: Severity `.high` beyond `high` standard deviations; at least `threshold`.
    @inlinable
    public static func zScore(_ threshold: Double, high: Double? = nil) -> SpikeRule {
        precondition(threshold > 0, "a z-score threshold must be positive")
        return SpikeRule(.zScore, threshold: threshold, high: high)
    }
}

// MARK: - Classification

extension SpikeRule {
    /// The values a key must have seen before one may raise an alert, when the caller does not say.
    @inlinable
    func defaultWarmUp(alpha: Double) -> Int {
        guard measure == .zScore else { return 1 }
        return Swift.max(2, Int((2 / alpha - 1).rounded(.up)))
    }

    /// Which way `v` is a spike against the key's mean and variance before it, and how severe; `nil` when it is
    /// none. Runs on the hot path for every record after the warm-up.
    @inlinable
    func classify(
        _ v: Double, baseline b: Double, variance: Double, direction: SpikeDirection
    ) -> (direction: SpikeDirection, severity: SpikeSeverity)? {
        switch measure {
        case .ratio:
            // Written as products (`v > k·b`) rather than through the ratio, so that a positive baseline gives
            // exactly the comparisons of the original rise-only operator.
            if b > 0 {
                if direction.includesRises, v > threshold * b { return (.up, severity(v / b, above: true)) }
                if direction.includesFalls, v < b / threshold { return (.down, severity(v / b, above: false)) }
            } else if b < 0 {
                if direction.includesRises, v > (2 - threshold) * b { return (.up, severity(2 - v / b, above: true)) }
                if direction.includesFalls, v < (2 - 1 / threshold) * b {
                    return (.down, severity(2 - v / b, above: false))
                }
            }
            return nil
        case .delta:
            return classify(deviation: v - b, scale: 1, direction: direction)
        case .zScore:
            let sd = variance.squareRoot()
            guard sd > 0 else { return nil }
            return classify(deviation: v - b, scale: sd, direction: direction)
        }
    }

    /// For the symmetric measures: `deviation / scale` beyond ±`threshold`.
    @inlinable
    func classify(
        deviation: Double, scale: Double, direction: SpikeDirection
    ) -> (direction: SpikeDirection, severity: SpikeSeverity)? {
        let score = deviation / scale
        if direction.includesRises, score > threshold { return (.up, severity(score, above: true)) }
        if direction.includesFalls, -score > threshold { return (.down, severity(-score, above: true)) }
        return nil
    }

    /// `.high` when `measure` is beyond the high threshold: above it, or (for ratio falls) below its inverse.
    @inlinable
    func severity(_ measure: Double, above: Bool) -> SpikeSeverity {
        guard let highThreshold else { return .medium }
        let isHigh = above ? measure > highThreshold : measure < 1 / highThreshold
        return isHigh ? .high : .medium
    }
}
