/// One step of an exponential moving average: the value, the baseline it was compared with, and the
/// baseline after it.
public struct EMAUpdate<Value> {
    /// The record's value.
    public var value: Value
    /// The number that was averaged.
    public var observed: Double
    /// The baseline before this value; `nil` for a key's first value, which initialises it.
    public var previousBaseline: Double?
    /// The baseline after this value: `α·v + (1−α)·previous`.
    public var baseline: Double
    /// The exponentially weighted variance after this value.
    public var variance: Double
    /// How many values the key has seen, this one included.
    public var count: Int

    /// Makes an update.
    @inlinable
    public init(
        value: Value, observed: Double, previousBaseline: Double?, baseline: Double, variance: Double, count: Int
    ) {
        self.value = value
        self.observed = observed
        self.previousBaseline = previousBaseline
        self.baseline = baseline
        self.variance = variance
        self.count = count
    }

    /// `observed / previousBaseline`, when there is a non-zero previous baseline.
    @inlinable
    public var ratio: Double? {
        guard let previousBaseline, previousBaseline != 0 else { return nil }
        return observed / previousBaseline
    }
}

extension EMAUpdate: Sendable where Value: Sendable {}
extension EMAUpdate: Equatable where Value: Equatable {}
extension EMAUpdate: Codable where Value: Codable {}

/// The EMA state of one key.
@usableFromInline
struct EMAState: Codable, Hashable, Sendable {
    @usableFromInline var baseline: Double
    @usableFromInline var variance: Double
    @usableFromInline var count: Int

    @inlinable
    init(baseline: Double, variance: Double, count: Int) {
        self.baseline = baseline
        self.variance = variance
        self.count = count
    }
}

extension EMAState {
    /// Folds `v` into the state and returns the baseline before it (`nil` on the first value).
    @inlinable
    mutating func observe(_ v: Double, alpha: Double) -> Double? {
        guard count > 0 else {
            self = EMAState(baseline: v, variance: 0, count: 1)
            return nil
        }
        let previous = baseline
        let diff = v - previous
        let increment = alpha * diff
        baseline = previous + increment
        variance = (1 - alpha) * (variance + diff * increment)
        count += 1
        return previous
    }

    @inlinable
    static var empty: EMAState { EMAState(baseline: 0, variance: 0, count: 0) }
}

extension DataFrame {
    /// Keeps an exponential moving average per key and emits every step of it.
    ///
    /// The first value of a key initialises the baseline; each next value is reported with the baseline
    /// *before* it, then folded in: `baseline = α·v + (1−α)·baseline`.
    ///
    ///     revenue.ema(alpha: 0.3) { $0.revenue }
    @inlinable
    public func ema(
        alpha: Double, name: String? = nil, of observed: @escaping (Value) -> Double
    ) -> DataFrame<Key, EMAUpdate<Value>> {
        precondition(alpha > 0 && alpha <= 1, "alpha must be in (0, 1]")
        let storeName = name ?? app.graph.nextName(for: "ema")
        return statefulStage(kind: "ema", name: storeName, layout: "\(Key.self) -> EMAState", initial: EMAState.empty) {
            state, record in
            let v = observed(record.value)
            let previous = state.observe(v, alpha: alpha)
            return EMAUpdate(
                value: record.value, observed: v, previousBaseline: previous, baseline: state.baseline,
                variance: state.variance, count: state.count)
        }
    }
}
