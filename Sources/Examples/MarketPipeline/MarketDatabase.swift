import Logging
import StreamKit
import StreamKitTimescale

/// The pipeline's TimescaleDB side: the `ticks` and `bars_1s` hypertables and their sinks.
///
/// Both tables upsert on their key, so a replay after a crash rewrites the same rows rather than adding any.
/// With exactly-once, the ticks sink also stores the consumed offsets in `streamkit_offsets` in the same
/// transaction as each batch, and skips replayed ticks that an earlier batch already stored. Bars carry no
/// source offset (a window closes on a later tick, or at the end of a backtest); under exactly-once they are
/// recomputed from the transactional window state and upserted, which gives the same rows.
struct MarketDatabase {
    static let ticksTable = "ticks"
    static let barsTable = "bars_1s"

    let ticks: TimescaleSink<Tick>
    let bars: TimescaleSink<Bar>

    /// - Parameters:
    ///   - url: The `--timescale-url`; each sink gets a connection of its own.
    ///   - exactlyOnceGroup: The app's name under exactly-once; `nil` at least once.
    init(url: String, exactlyOnceGroup: String?, logger: Logger) throws {
        let compression = TimescaleTable.Compression(segmentBy: ["symbol"])
        let ticksTable = try TimescaleTable(
            name: Self.ticksTable, rowType: TickRow.self, upsertKey: ["symbol", "sequence", "ts_event"],
            timeColumn: "ts_event", compression: compression)
        let barsTable = try TimescaleTable(
            name: Self.barsTable, rowType: Bar.self, upsertKey: ["symbol", "window_start"],
            timeColumn: "window_start", compression: compression)
        ticks = try TimescaleSink(
            table: ticksTable, on: TimescaleConnection(url, logger: logger),
            guarantee: exactlyOnceGroup.map { .exactlyOnce(group: $0) } ?? .atLeastOnce, logger: logger,
            row: TickRow.init)
        bars = try TimescaleSink(table: barsTable, on: TimescaleConnection(url, logger: logger), logger: logger)
    }

    /// Connects and creates the tables; returns the TimescaleDB features plain PostgreSQL had to skip.
    func prepare() async throws -> [TimescaleFeature] {
        let skipped = try await ticks.prepare().skippedFeatures + bars.prepare().skippedFeatures
        return Array(Set(skipped)).sorted { $0.name < $1.name }
    }
}
