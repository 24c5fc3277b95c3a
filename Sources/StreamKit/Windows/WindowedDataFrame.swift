/// A frame grouped into time windows per key, waiting for an aggregation.
///
///     ticks.tumblingWindow(.seconds(1), grace: .milliseconds(200))
///         .aggregate(into: Bar.empty) { bar, tick in bar.add(tick) }
///         .final()
public struct WindowedDataFrame<Key: StreamKey, Value> {
    @inlinable
    init(frame: DataFrame<Key, Value>, spec: WindowSpec, name: String?) {
        self.frame = frame
        self.spec = spec
        self.name = name
    }

    @usableFromInline
    let frame: DataFrame<Key, Value>
    @usableFromInline
    let spec: WindowSpec
    @usableFromInline
    let name: String?

    /// Aggregates each window with a typed aggregator (built-in or your own).
    ///
    ///     .aggregate(OHLCAggregator { $0.mid })
    @inlinable
    public func aggregate<Aggregator: StreamAggregator>(
        _ aggregator: Aggregator
    ) -> WindowAggregation<Key, Value, Aggregator.Output> where Aggregator.Input == Value {
        WindowAggregation(frame: frame, spec: spec, name: name, aggregator: aggregator)
    }

    /// Folds each window's values into an accumulator that starts as `initial`.
    ///
    ///     .aggregate(into: Bar.empty) { bar, tick in bar.add(tick) }
    @inlinable
    public func aggregate<Accumulator: Codable>(
        into initial: Accumulator, _ fold: @escaping (inout Accumulator, Value) -> Void
    ) -> WindowAggregation<Key, Value, Accumulator> {
        aggregate(ClosureAggregator(into: initial, fold))
    }

    /// Combines each window's values pairwise; the first value starts the fold.
    @inlinable
    public func reduce(_ combine: @escaping (Value, Value) -> Value) -> WindowAggregation<Key, Value, Value>
    where Value: Codable {
        aggregate(ReduceAggregator(combine))
    }

    /// Counts each window's records.
    @inlinable
    public func count() -> WindowAggregation<Key, Value, Int> { aggregate(CountAggregator()) }

    /// Sums a field per window.
    @inlinable
    public func sum<Number: AdditiveArithmetic & Codable>(
        _ field: @escaping (Value) -> Number
    ) -> WindowAggregation<Key, Value, Number> { aggregate(SumAggregator(field)) }

    /// Averages a field per window.
    @inlinable
    public func mean(_ field: @escaping (Value) -> Double) -> WindowAggregation<Key, Value, Double> {
        aggregate(MeanAggregator(field))
    }

    /// The smallest value of a field per window.
    @inlinable
    public func min<Number: Comparable & Codable>(
        _ field: @escaping (Value) -> Number
    ) -> WindowAggregation<Key, Value, Number> { aggregate(MinimumAggregator(field)) }

    /// The largest value of a field per window.
    @inlinable
    public func max<Number: Comparable & Codable>(
        _ field: @escaping (Value) -> Number
    ) -> WindowAggregation<Key, Value, Number> { aggregate(MaximumAggregator(field)) }

    /// The first value of each window (in processing order).
    @inlinable
    public func first() -> WindowAggregation<Key, Value, Value> where Value: Codable { aggregate(FirstAggregator()) }

    /// The last value of each window (in processing order).
    @inlinable
    public func last() -> WindowAggregation<Key, Value, Value> where Value: Codable { aggregate(LastAggregator()) }
}

extension DataFrame {
    /// Groups records per key into back-to-back windows of `size`, by event time.
    ///
    /// A window `[start, end)` closes when the partition's watermark (its highest event time) reaches
    /// `end + grace`, or after `closeAfterIdle` of wall-clock time without records on the partition.
    /// Records for a closed window are late: counted, and sent to `lateRecords`.
    ///
    ///     ticks.tumblingWindow(.seconds(1), grace: .milliseconds(200))
    ///
    /// - Parameters:
    ///   - size: The length of each window, a whole number of milliseconds.
    ///   - grace: How long after its end, in event time, a window still takes records.
    ///   - closeAfterIdle: Wall-clock time without records on a partition after which its windows close; `nil`
    ///     waits for records.
    ///   - name: Names the state store and its changelog topic; by default `tumbling-window-<n>` in build order.
    ///     Name it when the pipeline may change shape later.
    @inlinable
    public func tumblingWindow(
        _ size: Duration, grace: Duration = .zero, closeAfterIdle: Duration? = nil, name: String? = nil
    ) -> WindowedDataFrame<Key, Value> {
        hoppingWindow(size, every: size, grace: grace, closeAfterIdle: closeAfterIdle, name: name)
    }

    /// Groups records per key into overlapping windows of `size` that start every `step`.
    ///
    ///     prices.hoppingWindow(.seconds(300), every: .seconds(60))   // each record is in 5 windows
    @inlinable
    public func hoppingWindow(
        _ size: Duration, every step: Duration, grace: Duration = .zero, closeAfterIdle: Duration? = nil,
        name: String? = nil
    ) -> WindowedDataFrame<Key, Value> {
        precondition(size >= .milliseconds(1) && step >= .milliseconds(1), "window size and step must be at least 1 ms")
        precondition(step <= size, "a hopping window's step must not exceed its size")
        precondition(grace >= .zero, "grace must not be negative")
        let spec = WindowSpec(size: size, step: step, grace: grace, idleTimeout: closeAfterIdle)
        return WindowedDataFrame(frame: self, spec: spec, name: name)
    }
}
