import StreamKit

/// A row of the `ticks` hypertable: a validated tick, its times as `timestamptz`.
///
/// Upsert key (`symbol`, `sequence`, `ts_event`): the sequence identifies a tick; TimescaleDB requires the time
/// column in every unique key, and a tick's event time never changes, so the key is unique exactly when
/// (`symbol`, `sequence`) is.
struct TickRow: Codable, Sendable {
    var symbol: String
    var sequence: Int64
    var tsEvent: EventTime
    var tsIngest: EventTime
    var bid: Double
    var ask: Double
    var bidVolume: Double
    var askVolume: Double

    init(_ tick: Tick) {
        symbol = tick.symbol
        sequence = tick.sequence
        tsEvent = EventTime(milliseconds: tick.tsEventMs)
        tsIngest = EventTime(milliseconds: tick.tsIngestMs)
        bid = tick.bid
        ask = tick.ask
        bidVolume = tick.bidVolume
        askVolume = tick.askVolume
    }
}
