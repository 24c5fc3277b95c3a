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
