/// How far above its baseline a spike is.
public enum SpikeSeverity: String, Codable, Hashable, Sendable, Comparable, CaseIterable {
    /// Above the detection threshold (2× by default).
    case medium = "MEDIUM"
    /// Above the high threshold (3× by default).
    case high = "HIGH"

    @inlinable
    public static func < (lhs: SpikeSeverity, rhs: SpikeSeverity) -> Bool { lhs == .medium && rhs == .high }
}

/// A value that exceeded `threshold ×` its key's EMA baseline.
public struct SpikeAlert<Value> {
    /// The record's value.
    public var value: Value
    /// The number compared.
    public var observed: Double
    /// The baseline before this value.
    public var baseline: Double
    /// `observed / baseline`.
    public var ratio: Double
    /// `.high` above the high threshold, else `.medium`.
    public var severity: SpikeSeverity

    /// Makes an alert.
    @inlinable
    public init(value: Value, observed: Double, baseline: Double, ratio: Double, severity: SpikeSeverity) {
        self.value = value
        self.observed = observed
        self.baseline = baseline
        self.ratio = ratio
        self.severity = severity
    }
}

extension SpikeAlert: Sendable where Value: Sendable {}
extension SpikeAlert: Equatable where Value: Equatable {}
extension SpikeAlert: Codable where Value: Codable {}

extension DataFrame {
    /// Emits an alert when a value exceeds `threshold ×` its key's EMA baseline (taken before the value
    /// is folded in); other records are dropped from this frame.
    ///
    ///     revenue.detectSpikes(alpha: 0.3, threshold: 2, highThreshold: 3) { $0.revenue }
    ///
    /// - Parameters:
    ///   - alpha: EMA smoothing factor in (0, 1].
    ///   - threshold: Alert when `value > threshold × baseline` (severity `.medium`).
    ///   - highThreshold: Severity `.high` when `value > highThreshold × baseline`.
    ///   - warmUp: A key raises no alert until it has seen this many values before the current one
    ///     (at least 1: the first value only initialises the baseline).
    ///   - observed: The number to watch. Runs on the hot path.
    @inlinable
    public func detectSpikes(
        alpha: Double, threshold: Double = 2, highThreshold: Double = 3, warmUp: Int = 1, name: String? = nil,
        of observed: @escaping (Value) -> Double
    ) -> DataFrame<Key, SpikeAlert<Value>> {
        precondition(alpha > 0 && alpha <= 1, "alpha must be in (0, 1]")
        precondition(highThreshold >= threshold, "highThreshold must be at least threshold")
        let storeName = name ?? app.graph.nextName(for: "spikes")
        let warmUp = Swift.max(1, warmUp)
        return statefulStage(
            kind: "spikes", name: storeName, layout: "\(Key.self) -> EMAState", initial: EMAState.empty
        ) { state, record in
            let v = observed(record.value)
            let seenBefore = state.count
            guard let baseline = state.observe(v, alpha: alpha), seenBefore >= warmUp, baseline > 0,
                v > threshold * baseline
            else { return nil }
            let ratio = v / baseline
            return SpikeAlert(
                value: record.value, observed: v, baseline: baseline, ratio: ratio,
                severity: ratio > highThreshold ? .high : .medium)
        }
    }
}
