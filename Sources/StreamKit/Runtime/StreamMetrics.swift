import Metrics

/// The names of the metrics StreamKit reports through swift-metrics, all with an `app` dimension.
public enum StreamMetricName {
    /// Records read from input topics (counter).
    public static let recordsIn = "streamkit_records_in_total"
    /// Records produced to topics, dead-letter topics excluded (counter).
    public static let recordsOut = "streamkit_records_out_total"
    /// Records dropped by filters, `compactMap` and stateful operators that emitted nothing (counter).
    public static let recordsFiltered = "streamkit_records_filtered_total"
    /// Records for windows that had already closed (counter).
    public static let lateRecords = "streamkit_late_records_total"
    /// Failed records by `stage` and `action` (`skip`, `dead_letter`) (counter).
    public static let recordsFailed = "streamkit_records_failed_total"
    /// Entries per state store, windows included, by `store` (gauge).
    public static let stateEntries = "streamkit_state_entries"
    /// Time to checkpoint: flush sinks and producer, write changelogs, commit (timer).
    public static let checkpointDuration = "streamkit_checkpoint_duration_seconds"
    /// Checkpoints completed (counter).
    public static let checkpoints = "streamkit_checkpoints_total"
}

/// The metric handles of one app, made once so that recording costs no lookup.
final class AppMetrics {
    private let factory: any MetricsFactory
    private let app: String
    private let recordsIn: Counter
    private let recordsOut: Counter
    private let filtered: Counter
    private let late: Counter
    private let checkpoints: Counter
    private let checkpointDuration: Timer
    private var failures: [TaskCounters.FailureKey: Counter] = [:]
    private var stores: [String: Gauge] = [:]

    init(app: String, factory: any MetricsFactory) {
        self.factory = factory
        self.app = app
        let dims = [("app", app)]
        recordsIn = Counter(label: StreamMetricName.recordsIn, dimensions: dims, factory: factory)
        recordsOut = Counter(label: StreamMetricName.recordsOut, dimensions: dims, factory: factory)
        filtered = Counter(label: StreamMetricName.recordsFiltered, dimensions: dims, factory: factory)
        late = Counter(label: StreamMetricName.lateRecords, dimensions: dims, factory: factory)
        checkpoints = Counter(label: StreamMetricName.checkpoints, dimensions: dims, factory: factory)
        checkpointDuration = Timer(label: StreamMetricName.checkpointDuration, dimensions: dims, factory: factory)
    }

    /// Adds a batch's counters.
    func record(_ counters: TaskCounters) {
        if counters.recordsIn > 0 { recordsIn.increment(by: counters.recordsIn) }
        if counters.recordsOut > 0 { recordsOut.increment(by: counters.recordsOut) }
        if counters.filtered > 0 { filtered.increment(by: counters.filtered) }
        if counters.late > 0 { late.increment(by: counters.late) }
        for (key, count) in counters.failures {
            let counter =
                failures[key]
                ?? Counter(
                    label: StreamMetricName.recordsFailed,
                    dimensions: [("app", app), ("stage", key.stage), ("action", key.action)], factory: factory)
            failures[key] = counter
            counter.increment(by: count)
        }
    }

    /// Records a checkpoint and the store sizes after it.
    func recordCheckpoint(duration: Duration, storeSizes: [String: Int]) {
        checkpoints.increment()
        checkpointDuration.recordNanoseconds(duration.wholeMilliseconds * 1_000_000)
        for (store, size) in storeSizes {
            let gauge =
                stores[store]
                ?? Gauge(
                    label: StreamMetricName.stateEntries, dimensions: [("app", app), ("store", store)], factory: factory
                )
            stores[store] = gauge
            gauge.record(size)
        }
    }
}
