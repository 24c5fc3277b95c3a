/// Exponentially weighted mean and variance: `mean = α·v + (1−α)·mean`, the variance weighted alike.
public struct EWStatistics<Input>: StreamAggregator {
    /// The weighted mean and variance, and the latest value.
    public struct Moments: Codable, Hashable, Sendable {
        /// The weighted mean.
        public var mean: Double
        /// The weighted variance.
        public var variance: Double
        /// The latest value.
        public var latest: Double
        /// Makes moments.
        @inlinable public init(mean: Double, variance: Double, latest: Double) {
            self.mean = mean
            self.variance = variance
            self.latest = latest
        }
    }
    @usableFromInline
    let alpha: Double
    @usableFromInline
    let value: (Input) -> Double

    /// Weighs `value(input)` with smoothing factor `alpha` in (0, 1].
    @inlinable
    public init(alpha: Double, _ value: @escaping (Input) -> Double) {
        precondition(alpha > 0 && alpha <= 1, "alpha must be in (0, 1]")
        self.alpha = alpha
        self.value = value
    }

    @inlinable
    public var initialState: Moments? { nil }

    @inlinable
    public func add(_ input: Input, to state: inout Moments?) {
        let x = value(input)
        guard var s = state else {
            state = Moments(mean: x, variance: 0, latest: x)
            return
        }
        let diff = x - s.mean
        let increment = alpha * diff
        s.mean += increment
        s.variance = (1 - alpha) * (s.variance + diff * increment)
        s.latest = x
        state = s
    }

    /// Only called for states that saw a value.
    @inlinable
    public func output(of state: Moments?) -> Moments { state.unsafelyUnwrapped }
}
