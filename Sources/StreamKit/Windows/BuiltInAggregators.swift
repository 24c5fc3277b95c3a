/// Counts values.
public struct CountAggregator<Input>: StreamAggregator {
    /// Makes a counter.
    @inlinable
    public init() {}
    @inlinable
    public var initialState: Int { 0 }
    @inlinable
    public func add(_ input: Input, to state: inout Int) { state += 1 }
    @inlinable
    public func output(of state: Int) -> Int { state }
}

/// Sums a numeric field.
public struct SumAggregator<Input, Number: AdditiveArithmetic & Codable>: StreamAggregator {
    @usableFromInline
    let value: (Input) -> Number
    /// Sums `value(input)` over the inputs.
    @inlinable
    public init(_ value: @escaping (Input) -> Number) { self.value = value }
    @inlinable
    public var initialState: Number { .zero }
    @inlinable
    public func add(_ input: Input, to state: inout Number) { state += value(input) }
    @inlinable
    public func output(of state: Number) -> Number { state }
}

/// The arithmetic mean of a field.
public struct MeanAggregator<Input>: StreamAggregator {
    /// Running sum and count.
    public struct State: Codable, Hashable, Sendable {
        /// Σ values.
        public var sum = 0.0
        /// How many.
        public var count = 0
        /// Zero sum and count.
        @inlinable public init() {}
    }
    @usableFromInline
    let value: (Input) -> Double
    /// Averages `value(input)` over the inputs.
    @inlinable
    public init(_ value: @escaping (Input) -> Double) { self.value = value }
    @inlinable
    public var initialState: State { State() }
    @inlinable
    public func add(_ input: Input, to state: inout State) {
        state.sum += value(input)
        state.count += 1
    }
    @inlinable
    public func output(of state: State) -> Double { state.sum / Double(state.count) }
}

/// The smallest value of a field.
public struct MinimumAggregator<Input, Number: Comparable & Codable>: StreamAggregator {
    @usableFromInline
    let value: (Input) -> Number
    /// Keeps the smallest `value(input)`.
    @inlinable
    public init(_ value: @escaping (Input) -> Number) { self.value = value }
    @inlinable
    public var initialState: Number? { nil }
    @inlinable
    public func add(_ input: Input, to state: inout Number?) {
        let v = value(input)
        if let current = state, current <= v { return }
        state = v
    }
    /// Only called for states that saw a value.
    @inlinable
    public func output(of state: Number?) -> Number { state.unsafelyUnwrapped }
}

/// The largest value of a field.
public struct MaximumAggregator<Input, Number: Comparable & Codable>: StreamAggregator {
    @usableFromInline
    let value: (Input) -> Number
    /// Keeps the largest `value(input)`.
    @inlinable
    public init(_ value: @escaping (Input) -> Number) { self.value = value }
    @inlinable
    public var initialState: Number? { nil }
    @inlinable
    public func add(_ input: Input, to state: inout Number?) {
        let v = value(input)
        if let current = state, current >= v { return }
        state = v
    }
    /// Only called for states that saw a value.
    @inlinable
    public func output(of state: Number?) -> Number { state.unsafelyUnwrapped }
}

/// The first value seen (in processing order).
public struct FirstAggregator<Input: Codable>: StreamAggregator {
    /// Makes the aggregator.
    @inlinable
    public init() {}
    @inlinable
    public var initialState: Input? { nil }
    @inlinable
    public func add(_ input: Input, to state: inout Input?) { if state == nil { state = input } }
    /// Only called for states that saw a value.
    @inlinable
    public func output(of state: Input?) -> Input { state.unsafelyUnwrapped }
}

/// The last value seen (in processing order).
public struct LastAggregator<Input: Codable>: StreamAggregator {
    /// Makes the aggregator.
    @inlinable
    public init() {}
    @inlinable
    public var initialState: Input? { nil }
    @inlinable
    public func add(_ input: Input, to state: inout Input?) { state = input }
    /// Only called for states that saw a value.
    @inlinable
    public func output(of state: Input?) -> Input { state.unsafelyUnwrapped }
}
