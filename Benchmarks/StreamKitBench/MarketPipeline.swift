import StreamKit

/// The market pipeline that `kafka`, `scale` and `scale-worker` time: JSON ticks in, validate, event time, 1 s
/// tumbling bars per symbol, final, JSON bars out to `<topic>.bars.1s`.
enum MarketPipeline {
    /// Adds the pipeline to `app`; `onRecord` runs for every input record and `onBar` for every bar written, both
    /// on the runtime's processing thread.
    static func define(
        on app: StreamApp, topic: String, partitions: Int, onRecord: @escaping () -> Void,
        onBar: @escaping () -> Void
    ) {
        let ticks = app.topic(topic, key: String.self, value: Tick.self, format: .json, partitions: partitions)
        let bars = app.topic(
            "\(topic).bars.1s", key: String.self, value: WindowResult<String, Bar>.self, format: .json,
            partitions: partitions)
        app.dataframe(ticks)
            .peek { _ in onRecord() }
            .filter(\.isValid)
            .eventTime(\.tsEventMs)
            .tumblingWindow(.seconds(1))
            .aggregate(into: Bar()) { bar, tick in bar.add(tick) }
            .final()
            .peek { _ in onBar() }
            .to(bars)
    }
}
