import Metrics

/// The names of the metrics StreamKit reports through swift-metrics, all with an `app` dimension.
///
/// Counters only go up; rates come from them. The processing rate of an app, in records per second, is
/// the rate of ``recordsIn`` (in PromQL, `sum by (app) (rate(streamkit_records_in_total[1m]))`), and its
/// output rate that of ``recordsOut``. Timers are reported in seconds (a Prometheus histogram with
/// StreamKitOperations). Gauges hold the last value recorded.
public enum StreamMetricName {
    /// Records read, by input `topic` (counter). Records of an `AsyncSequence` source count under
    /// `topic="async-sequence-<n>"`, `n` being the source's position among the app's sequence sources.
    public static let recordsIn = "streamkit_records_in_total"
    /// Records produced, by `topic`, repartition topics included and dead-letter topics excluded (counter).
    public static let recordsOut = "streamkit_records_out_total"
    /// Records dropped by filters, `compactMap` and stateful operators that emitted nothing (counter).
    public static let recordsFiltered = "streamkit_records_filtered_total"
    /// Records for windows that had already closed (counter).
    public static let lateRecords = "streamkit_late_records_total"
    /// Failed records by `stage` and `action` (counter).
    ///
    /// `action` is `skip` or `dead_letter`; with `action="dead_letter"` this is the count of dead-lettered
    /// records by reason. `stage` says where the record failed: `deserialize` for a key or value that
    /// could not be read, otherwise the name of the filter, `validate` or operator that rejected it.
    public static let recordsFailed = "streamkit_records_failed_total"
    /// Entries per state store by `store` (gauge), after each checkpoint: keys for keyed state, open
    /// (key, window) pairs for a window operator.
    public static let stateEntries = "streamkit_state_entries"
    /// Records not yet read by this instance, by `topic` and `partition` (gauge): the end of the partition
    /// minus the consumer's position. Measured after each assignment and then about once a second; a
    /// partition's series is removed when it is revoked.
    public static let consumerLag = "streamkit_consumer_lag"
    /// Time to checkpoint: flush sinks, flush outputs and write changelogs, then commit offsets or the transaction
    /// (timer).
    public static let checkpointDuration = "streamkit_checkpoint_duration_seconds"
    /// Checkpoints completed (counter).
    public static let checkpoints = "streamkit_checkpoints_total"
    /// Time one sink takes to flush at a checkpoint, by `sink` (its `StreamSink.sinkName`) (timer).
    public static let sinkFlushDuration = "streamkit_sink_flush_duration_seconds"
    /// Deliveries the broker refused, as reported when the producer is flushed or a transaction commits
    /// (counter). The first such failure stops the app, so a non-zero value explains a restart.
    public static let producerDeliveryErrors = "streamkit_producer_delivery_errors_total"
}

/// The metric handles of one app, made once (or once per topic, store, sink or partition) so that
/// recording costs no lookup per record.
final class AppMetrics {
    private let factory: any MetricsFactory
    private let app: String
    private let filtered: Counter
    private let late: Counter
    private let checkpoints: Counter
    private let checkpointDuration: Timer
    private let deliveryErrors: Counter
    private var recordsIn: [String: Counter] = [:]
    private var recordsOut: [String: Counter] = [:]
    private var failures: [TaskCounters.FailureKey: Counter] = [:]
    private var stores: [String: Gauge] = [:]
    private var sinkFlushes: [String: Timer] = [:]
    private var lags: [TopicPartition: Gauge] = [:]
    private let deadLetterTopics: Set<String>

    init(app: StreamApp) {
        factory = app.metricsFactory
        self.app = app.name
        deadLetterTopics = Set(app.graph.topics.filter { $0.value.roles.contains(.deadLetter) }.keys)
        let dims = [("app", app.name)]
        filtered = Counter(label: StreamMetricName.recordsFiltered, dimensions: dims, factory: factory)
        late = Counter(label: StreamMetricName.lateRecords, dimensions: dims, factory: factory)
        checkpoints = Counter(label: StreamMetricName.checkpoints, dimensions: dims, factory: factory)
        checkpointDuration = Timer(label: StreamMetricName.checkpointDuration, dimensions: dims, factory: factory)
        deliveryErrors = Counter(label: StreamMetricName.producerDeliveryErrors, dimensions: dims, factory: factory)
    }

    /// Counts records read from a topic (or an `AsyncSequence` source named like a topic).
    func recordInput(topic: String, count: Int) {
        guard count > 0 else { return }
        Self.counter(&recordsIn, topic, label: StreamMetricName.recordsIn, app: app, factory: factory)
            .increment(by: count)
    }

    /// The `topic` value under which the records of the app's `index`-th `AsyncSequence` source count.
    static func asyncSourceTopic(_ index: Int) -> String { "async-sequence-\(index)" }

    /// Counts records of one batch per input topic.
    func recordInput(_ batches: [any RecordBatch]) {
        for batch in batches { recordInput(topic: batch.topicPartition.topic, count: batch.count) }
    }

    /// Counts the records produced per topic; those written to dead-letter topics are counted as failures instead
    /// (``record(_:)``).
    ///
    /// Outputs come in runs of one topic, so the topic is looked up once per run, not once per record.
    func recordOutputs(_ records: [RawRecord]) {
        var index = records.startIndex
        while index < records.endIndex {
            let topic = records[index].topic
            var end = index + 1
            while end < records.endIndex && records[end].topic == topic { end += 1 }
            if !deadLetterTopics.contains(topic) {
                Self.counter(&recordsOut, topic, label: StreamMetricName.recordsOut, app: app, factory: factory)
                    .increment(by: end - index)
            }
            index = end
        }
    }

    /// The counter of `topic` in `table`, made on first use.
    private static func counter(
        _ table: inout [String: Counter], _ topic: String, label: String, app: String, factory: any MetricsFactory
    ) -> Counter {
        if let counter = table[topic] { return counter }
        let counter = Counter(label: label, dimensions: [("app", app), ("topic", topic)], factory: factory)
        table[topic] = counter
        return counter
    }

    /// Adds the drop, late and failure counts a batch's tasks accumulated.
    func record(_ counters: TaskCounters) {
        if counters.filtered > 0 { filtered.increment(by: counters.filtered) }
        if counters.late > 0 { late.increment(by: counters.late) }
        for (key, count) in counters.failures {
            let counter =
                failures[key]
                ?? Counter(
                    label: StreamMetricName.recordsFailed,
                    dimensions: [("app", app), ("stage", key.stage), ("action", key.action.rawValue)], factory: factory)
            failures[key] = counter
            counter.increment(by: count)
        }
    }

    /// Records a checkpoint and the store sizes after it.
    func recordCheckpoint(duration: Duration, storeSizes: [String: Int]) {
        checkpoints.increment()
        checkpointDuration.record(duration: duration)
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

    /// Records how long one sink took to flush.
    func recordSinkFlush(sink: String, duration: Duration) {
        let timer =
            sinkFlushes[sink]
            ?? Timer(
                label: StreamMetricName.sinkFlushDuration, dimensions: [("app", app), ("sink", sink)], factory: factory)
        sinkFlushes[sink] = timer
        timer.record(duration: duration)
    }

    /// Counts a delivery the broker refused.
    func recordDeliveryError() {
        deliveryErrors.increment()
    }

    /// Records the lag of each measured partition.
    func recordLag(_ lag: [TopicPartition: Int64]) {
        for (partition, records) in lag {
            let gauge =
                lags[partition]
                ?? Gauge(
                    label: StreamMetricName.consumerLag,
                    dimensions: [("app", app), ("topic", partition.topic), ("partition", String(partition.partition))],
                    factory: factory)
            lags[partition] = gauge
            gauge.record(records)
        }
    }

    /// Removes the lag series of partitions this instance no longer owns, so they do not report a stale value.
    func forgetLag(of partitions: [TopicPartition]) {
        for partition in partitions { lags.removeValue(forKey: partition)?.destroy() }
    }
}
