/// A typed aggregation: how a window (or a running per-key operator) folds values into state and what
/// it reports.
///
/// State is `Codable` because it is written to the changelog at checkpoints and restored on another
/// instance. Conform your own type, or use the built-ins: `CountAggregator`, `SumAggregator`, `MeanAggregator`,
/// `MinimumAggregator`, `MaximumAggregator`, `FirstAggregator`, `LastAggregator` (behind `count()`, `sum(_:)`…),
/// and the statistics `SummaryStatistics`, `OHLCAggregator`, `VWAP`, `ZScore`, `EWStatistics`, `RateOfChange`.
public protocol StreamAggregator<Input, Output> {
    /// The values folded in.
    associatedtype Input
    /// What is kept between values (and in the changelog).
    associatedtype State: Codable
    /// What is reported.
    associatedtype Output

    /// The state before the first value.
    var initialState: State { get }
    /// Folds one value into the state. Runs on the hot path; keep it free of I/O and allocation.
    func add(_ input: Input, to state: inout State)
    /// The result for a state that has seen at least one value.
    func output(of state: State) -> Output
}

/// An aggregation given as an initial value and a closure, as in `aggregate(into:_:)`.
public struct ClosureAggregator<Input, Accumulator: Codable>: StreamAggregator {
    /// The accumulator before the first value.
    public let initialState: Accumulator
    @usableFromInline
    let fold: (inout Accumulator, Input) -> Void

    /// Makes an aggregator from a starting accumulator and a fold.
    @inlinable
    public init(into initial: Accumulator, _ fold: @escaping (inout Accumulator, Input) -> Void) {
        self.initialState = initial
        self.fold = fold
    }

    @inlinable
    public func add(_ input: Input, to state: inout Accumulator) { fold(&state, input) }
    @inlinable
    public func output(of state: Accumulator) -> Accumulator { state }
}

/// Reduces values of one type with a combining closure; the first value is the start.
public struct ReduceAggregator<Value: Codable>: StreamAggregator {
    @usableFromInline
    let combine: (Value, Value) -> Value

    /// Makes a reducer.
    @inlinable
    public init(_ combine: @escaping (Value, Value) -> Value) { self.combine = combine }

    @inlinable
    public var initialState: Value? { nil }
    @inlinable
    public func add(_ input: Value, to state: inout Value?) { state = state.map { combine($0, input) } ?? input }
    /// Only called for states that saw a value.
    @inlinable
    public func output(of state: Value?) -> Value { state.unsafelyUnwrapped }
}
