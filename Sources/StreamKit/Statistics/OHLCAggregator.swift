/// Open, high, low, close and count of a price field: the candle of a window.
public struct OHLCAggregator<Input>: StreamAggregator {
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
