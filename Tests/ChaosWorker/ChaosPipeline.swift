import StreamKit

/// The pipeline the chaos suite runs in several processes: readings keyed by sensor, re-keyed by site through a
/// repartition topic, counted and summed in 1-minute tumbling windows per site, one result per closed window.
///
/// The grace is a day, far longer than the input's span of event time, so no window closes while the input is
/// replayed, killed and rebalanced: only the suite's sentinel readings, a year and more later, close them all at
/// once at the end. That keeps every window's result a function of the whole input, which the suite's reference
/// computes independently.
enum ChaosPipeline {
    static let windowSize: Duration = .seconds(60)
    static let grace: Duration = .seconds(86_400)

    /// Adds the pipeline to `app`: from `input` (created with `partitions` partitions when missing, which also
    /// sizes the repartition topic) to `output`.
    static func build(in app: StreamApp, input: String, output: String, partitions: Int) {
        let readings = app.topic(
            input, key: String.self, value: SensorReading.self, format: .json, partitions: partitions)
        // The suite creates the output topic first with `retention.ms=-1`: its records carry 2025 event times.
        let windows = app.topic(output, key: String.self, value: SiteWindow.self, format: .json, partitions: 1)
        app.dataframe(readings)
            .eventTime(\.tsMs)
            .keyBy(name: "by-site") { $0.site }
            .tumblingWindow(windowSize, grace: grace, name: "site-1m")
            .aggregate(into: SiteTotals()) { totals, reading in totals.add(reading) }
            .final()
            .map(SiteWindow.init)
            .to(windows)
    }
}
