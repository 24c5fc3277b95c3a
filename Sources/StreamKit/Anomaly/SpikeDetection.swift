extension DataFrame {
    /// Emits an alert for each value that `rule` finds to be a spike against its key's exponentially weighted
    /// baseline; other records are dropped from this frame.
    ///
    /// Per key, the first value initialises the baseline; each next value is judged against the mean and
    /// variance of the values *before* it, then folded in (`mean = α·v + (1−α)·mean`, the variance weighted
    /// alike). Both live in the operator's state store, so they survive restarts and move with their partition.
    ///
    ///     temperatures.detectSpikes(.delta(15), direction: .both, alpha: 0.2) { $0.celsius }
    ///     latencies.detectSpikes(.zScore(3, high: 5), alpha: 0.1, name: "latency-spikes") { $0.millis }
    ///
    /// - Parameters:
    ///   - rule: `.ratio`, `.delta` or `.zScore`, with its thresholds; see ``SpikeRule``.
    ///   - direction: Rises (the default), falls, or both.
    ///   - alpha: Smoothing factor of the mean and variance, in (0, 1); 1 is allowed except for `.zScore`.
    ///   - warmUp: A key raises no alert until it has seen this many values before the current one (at least 1:
    ///     the first value only initialises the baseline). By default 1, and for `.zScore` the span
    ///     `⌈2/α − 1⌉` (at least 2), so the variance has settled before it judges anything.
    ///   - name: Names the state store and its changelog topic; by default `spikes-<n>` in build order.
    ///   - observed: The number to watch. Runs on the hot path.
    @inlinable
    public func detectSpikes(
        _ rule: SpikeRule, direction: SpikeDirection = .up, alpha: Double, warmUp: Int? = nil, name: String? = nil,
        of observed: @escaping (Value) -> Double
    ) -> DataFrame<Key, SpikeAlert<Value>> {
        precondition(alpha > 0 && alpha <= 1, "alpha must be in (0, 1]")
        precondition(rule.measure != .zScore || alpha < 1, "a z-score rule needs alpha below 1: at 1 the variance is 0")
        let storeName = name ?? app.graph.nextName(for: "spikes")
        let warmUp = Swift.max(1, warmUp ?? rule.defaultWarmUp(alpha: alpha))
        return statefulStage(
            kind: "spikes", name: storeName, layout: "\(Key.self) -> EMAState", initial: EMAState.empty
        ) { state, record in
            let v = observed(record.value)
            let seenBefore = state.count
            let variance = state.variance  // before `v` is folded in, like the baseline
            guard let baseline = state.observe(v, alpha: alpha), seenBefore >= warmUp,
                let spike = rule.classify(v, baseline: baseline, variance: variance, direction: direction)
            else { return nil }
            return SpikeAlert(
                value: record.value, observed: v, baseline: baseline, standardDeviation: variance.squareRoot(),
                direction: spike.direction, severity: spike.severity)
        }
    }

    /// Emits an alert when a value rises above `threshold ×` its key's EMA baseline (taken before the value
    /// is folded in): `detectSpikes(.ratio(threshold, high: highThreshold), direction: .up, …)`.
    ///
    ///     revenue.detectSpikes(alpha: 0.3, threshold: 2, highThreshold: 3) { $0.revenue }
    ///
    /// - Parameters:
    ///   - alpha: EMA smoothing factor in (0, 1].
    ///   - threshold: Alert when `value > threshold × baseline` (severity `.medium`); at least 1.
    ///   - highThreshold: Severity `.high` when `value > highThreshold × baseline`.
    ///   - warmUp: A key raises no alert until it has seen this many values before the current one
    ///     (at least 1: the first value only initialises the baseline).
    ///   - name: Names the state store and its changelog topic; by default `spikes-<n>` in build order.
    ///   - observed: The number to watch. Runs on the hot path.
    @inlinable
    public func detectSpikes(
        alpha: Double, threshold: Double = 2, highThreshold: Double = 3, warmUp: Int = 1, name: String? = nil,
        of observed: @escaping (Value) -> Double
    ) -> DataFrame<Key, SpikeAlert<Value>> {
        detectSpikes(
            .ratio(threshold, high: highThreshold), direction: .up, alpha: alpha, warmUp: warmUp, name: name,
            of: observed)
    }
}
