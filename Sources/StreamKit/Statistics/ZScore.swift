/// Mean, standard deviation and the z-score of the latest value against the values before it
/// (Welford's online algorithm: one pass, numerically stable).
public struct ZScore<Input>: StreamAggregator {
    /// Welford's running moments, plus the z-score of the latest value.
    public struct State: Codable, Hashable, Sendable {
        /// Values seen.
        public var count = 0
        /// Their running mean.
        public var mean = 0.0
        /// Σ of squared deviations from the running mean (Welford).
        public var m2 = 0.0
        /// The latest value.
        public var latest = 0.0
        /// The latest value's score against the values before it.
        public var latestZScore: Double? = nil
        /// No values yet.
        @inlinable public init() {}
    }
    @usableFromInline
    let value: (Input) -> Double

    /// Scores `value(input)`.
    @inlinable
    public init(_ value: @escaping (Input) -> Double) { self.value = value }

    @inlinable
    public var initialState: State { State() }

    @inlinable
    public func add(_ input: Input, to state: inout State) {
        let x = value(input)
        // Score against the values seen before this one, so a spike does not dampen its own score.
        let previousStdDev = state.count > 1 ? (state.m2 / Double(state.count - 1)).squareRoot() : 0
        state.latestZScore = previousStdDev > 0 ? (x - state.mean) / previousStdDev : nil
        state.count += 1
        let delta = x - state.mean
        state.mean += delta / Double(state.count)
        state.m2 += delta * (x - state.mean)
        state.latest = x
    }

    @inlinable
    public func output(of state: State) -> ZScoreResult {
        ZScoreResult(
            value: state.latest, count: state.count, mean: state.mean,
            standardDeviation: state.count > 1 ? (state.m2 / Double(state.count - 1)).squareRoot() : 0,
            zScore: state.latestZScore)
    }
}

/// The result of `ZScore`: sample statistics including the latest value, and that value's score against
/// the values before it (`nil` until two earlier values with a spread exist).
public struct ZScoreResult: Codable, Hashable, Sendable {
    /// The latest value.
    public var value: Double
    /// Values seen, the latest included.
    public var count: Int
    /// Their mean.
    public var mean: Double
    /// Their sample standard deviation (0 below two values).
    public var standardDeviation: Double
    /// The latest value's score against the values before it; `nil` until two earlier values with a spread exist.
    public var zScore: Double?

    /// Makes a result.
    @inlinable
    public init(value: Double, count: Int, mean: Double, standardDeviation: Double, zScore: Double?) {
        self.value = value
        self.count = count
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.zScore = zScore
    }
}
