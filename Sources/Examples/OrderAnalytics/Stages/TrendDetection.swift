import StreamKit

/// The trend detector: an EMA baseline (α = 0.3) of each product's window revenue; a window whose revenue is
/// above 2× the baseline before it raises an alert, `HIGH` above 3× → `trend_alerts`.
enum TrendDetection {
    static let alpha = 0.3
    static let threshold = 2.0
    static let highThreshold = 3.0

    /// Adds the stage to `app`; returns its input and its output (already sent to `trend_alerts`).
    static func build(
        in app: StreamApp, options: PipelineOptions, codec: OrderCodec
    ) -> (input: DataFrame<String, OrderAggregate>, alerts: DataFrame<String, TrendAlert>) {
        let streams = OrderStreams(app: app, options: options, codec: codec)
        let input = app.dataframe(streams.orderAggregates)
        let output =
            input
            .detectSpikes(
                alpha: alpha, threshold: threshold, highThreshold: highThreshold, name: "revenue-ema", of: \.revenue
            )
            .map(TrendAlert.init)
            .to(streams.trendAlerts)
        return (input, output)
    }
}
