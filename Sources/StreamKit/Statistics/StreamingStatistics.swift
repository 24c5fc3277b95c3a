/// Open, high, low, close and count of a price field: the candle of a window.
public struct OHLC<Input>: StreamAggregator {
    @usableFromInline
    let price: (Input) -> Double
    /// Candles `price(input)`.
    @inlinable
    public init(_ price: @escaping (Input) -> Double) { self.price = price }

    @inlinable
    public var initialState: OHLCBar? { nil }

    @inlinable
    public func add(_ input: Input, to state: inout OHLCBar?) {
        let p = price(input)
        guard var bar = state else {
            state = OHLCBar(open: p, high: p, low: p, close: p, count: 1)
            return
        }
        bar.high = Swift.max(bar.high, p)
        bar.low = Swift.min(bar.low, p)
        bar.close = p
        bar.count += 1
        state = bar
    }

    /// Only called for states that saw a value.
    @inlinable
    public func output(of state: OHLCBar?) -> OHLCBar { state.unsafelyUnwrapped }
}

/// A candle: first, highest, lowest and last price, and how many prices it saw.
public struct OHLCBar: Codable, Hashable, Sendable {
    /// The first price.
    public var open: Double
    /// The highest price.
    public var high: Double
    /// The lowest price.
    public var low: Double
    /// The last price.
    public var close: Double
    /// How many prices.
    public var count: Int

    /// Makes a candle.
    @inlinable
    public init(open: Double, high: Double, low: Double, close: Double, count: Int) {
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.count = count
    }
}

/// Volume-weighted average price: Σ(price × volume) / Σ volume.
public struct VWAP<Input>: StreamAggregator {
    /// Running sums.
    public struct State: Codable, Hashable, Sendable {
        /// Σ price × volume.
        public var priceVolume = 0.0
        /// Σ volume.
        public var volume = 0.0
        /// Zero sums.
        @inlinable public init() {}
    }
    @usableFromInline
    let price: (Input) -> Double
    @usableFromInline
    let volume: (Input) -> Double

    /// Weighs `price(input)` by `volume(input)`.
    @inlinable
    public init(price: @escaping (Input) -> Double, volume: @escaping (Input) -> Double) {
        self.price = price
        self.volume = volume
    }

    @inlinable
    public var initialState: State { State() }

    @inlinable
    public func add(_ input: Input, to state: inout State) {
        let v = volume(input)
        state.priceVolume += price(input) * v
        state.volume += v
    }

    /// `nil` while the volume is zero.
    @inlinable
    public func output(of state: State) -> Double? { state.volume == 0 ? nil : state.priceVolume / state.volume }
}

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

/// The relative change from the first to the latest value: `(latest − first) / first`.
///
/// As a running per-key operator that is the change since the key's first value; inside a window, the
/// change across the window.
public struct RateOfChange<Input>: StreamAggregator {
    /// First and latest value.
    public struct Endpoints: Codable, Hashable, Sendable {
        /// The first value.
        public var first: Double
        /// The latest value.
        public var latest: Double
        /// Makes endpoints.
        @inlinable public init(first: Double, latest: Double) {
            self.first = first
            self.latest = latest
        }
    }
    @usableFromInline
    let value: (Input) -> Double

    /// Follows `value(input)`.
    @inlinable
    public init(_ value: @escaping (Input) -> Double) { self.value = value }

    @inlinable
    public var initialState: Endpoints? { nil }

    @inlinable
    public func add(_ input: Input, to state: inout Endpoints?) {
        let x = value(input)
        if state == nil { state = Endpoints(first: x, latest: x) } else { state!.latest = x }
    }

    /// `nil` when the first value is zero.
    @inlinable
    public func output(of state: Endpoints?) -> Double? {
        guard let s = state, s.first != 0 else { return nil }
        return (s.latest - s.first) / s.first
    }
}
