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
