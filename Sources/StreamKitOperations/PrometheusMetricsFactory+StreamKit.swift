import Prometheus
import StreamKit

extension PrometheusMetricsFactory {
    /// A factory for `StreamApp(metrics:)` that records into `registry`, with histogram buckets that suit
    /// StreamKit's timers: checkpoints and sink flushes take from well under a millisecond (in memory) to
    /// seconds (a large database flush), so the buckets run from 0.5 ms to 30 s.
    ///
    ///     let metrics = PrometheusMetricsFactory.streamKit()
    ///     let app = try StreamApp(name: "orders", broker: broker, metrics: metrics)
    ///     // OperationsServer(app: app) finds the registry through the app and serves it on /metrics.
    public static func streamKit(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry())
        -> PrometheusMetricsFactory
    {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
        ]
        return factory
    }
}
