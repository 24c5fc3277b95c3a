/// Count, mean, minimum and maximum of a field in one fold: the summary row of a window.
///
///     readings.tumblingWindow(.seconds(60)).aggregate(SummaryStatistics { $0.celsius }).final()
///
/// The mean is the sum over the count, as ``MeanAggregator`` computes it.
public struct SummaryStatistics<Input>: StreamAggregator {
    /// Running count, sum and extremes.
    public struct Totals: Codable, Hashable, Sendable {
        /// Values seen.
        public var count: Int
        /// Σ values.
        public var sum: Double
        /// The smallest value.
        public var minimum: Double
        /// The largest value.
        public var maximum: Double

        /// The state after one value.
        @inlinable
        public init(first value: Double) {
            count = 1
            sum = value
            minimum = value
            maximum = value
        }
    }

    @usableFromInline
    let value: (Input) -> Double

    /// Summarises `value(input)` over the inputs.
    @inlinable
    public init(_ value: @escaping (Input) -> Double) { self.value = value }

    @inlinable
    public var initialState: Totals? { nil }

    @inlinable
    public func add(_ input: Input, to state: inout Totals?) {
        let x = value(input)
        guard var s = state else {
            state = Totals(first: x)
            return
        }
        s.count += 1
        s.sum += x
        s.minimum = Swift.min(s.minimum, x)
        s.maximum = Swift.max(s.maximum, x)
        state = s
    }

    /// Only called for states that saw a value.
    @inlinable
    public func output(of state: Totals?) -> SummaryStatisticsResult {
        let s = state.unsafelyUnwrapped
        return SummaryStatisticsResult(
            count: s.count, mean: s.sum / Double(s.count), minimum: s.minimum, maximum: s.maximum)
    }
}

/// The result of ``SummaryStatistics``: how many values, their mean, the smallest and the largest.
public struct SummaryStatisticsResult: Codable, Hashable, Sendable {
    /// Values seen.
    public var count: Int
    /// Their arithmetic mean.
    public var mean: Double
    /// The smallest value.
    public var minimum: Double
    /// The largest value.
    public var maximum: Double

    /// Makes a result.
    @inlinable
    public init(count: Int, mean: Double, minimum: Double, maximum: Double) {
        self.count = count
        self.mean = mean
        self.minimum = minimum
        self.maximum = maximum
    }
}
