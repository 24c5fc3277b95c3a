/// A value that a ``SpikeRule`` found to be a spike against its key's exponentially weighted baseline.
///
/// `baseline` and `standardDeviation` are the key's statistics *before* the value was folded in, so a spike
/// is never judged against itself.
public struct SpikeAlert<Value> {
    /// The record's value.
    public var value: Value
    /// The number compared.
    public var observed: Double
    /// The key's EMA baseline (its exponentially weighted mean) before this value.
    public var baseline: Double
    /// The key's exponentially weighted standard deviation before this value.
    public var standardDeviation: Double
    /// `.up` for a rise above the baseline, `.down` for a fall below it.
    public var direction: SpikeDirection
    /// `.high` beyond the rule's high threshold, else `.medium`.
    public var severity: SpikeSeverity

    /// Makes an alert.
    @inlinable
    public init(
        value: Value, observed: Double, baseline: Double, standardDeviation: Double, direction: SpikeDirection,
        severity: SpikeSeverity
    ) {
        self.value = value
        self.observed = observed
        self.baseline = baseline
        self.standardDeviation = standardDeviation
        self.direction = direction
        self.severity = severity
    }

    /// `observed − baseline`: what a ``SpikeRule/delta(_:high:)`` rule compares.
    @inlinable
    public var deviation: Double { observed - baseline }

    /// The value relative to the baseline's magnitude: what a ``SpikeRule/ratio(_:high:)`` rule compares.
    ///
    /// `observed / baseline` for a positive baseline. For a negative one it is mirrored, `2 − observed / baseline`
    /// (that is `1 + deviation / |baseline|`), so that a rise still reads above 1 and a fall below 1: from −20 to
    /// +25 is 3.25. `nil` for a zero baseline, against which no ratio is finite.
    @inlinable
    public var ratio: Double? {
        if baseline > 0 { return observed / baseline }
        if baseline < 0 { return 2 - observed / baseline }
        return nil
    }

    /// `deviation / standardDeviation`: what a ``SpikeRule/zScore(_:high:)`` rule compares; `nil` while the key's
    /// values have shown no spread.
    @inlinable
    public var zScore: Double? { standardDeviation > 0 ? deviation / standardDeviation : nil }
}

extension SpikeAlert: Sendable where Value: Sendable {}
extension SpikeAlert: Equatable where Value: Equatable {}
extension SpikeAlert: Codable where Value: Codable {}
