import StreamKit

/// A closed 1-second bar of one symbol: a record of `orderbook.bars.1s` and a row of the `bars_1s` table.
///
/// On the topic: `{"symbol","window_start","window_end","count","mean_mid","min_bid","max_ask","spread",
/// "last_sequence"}`, the window bounds in milliseconds since the epoch (`timestamptz` in the table) and `spread`
/// the mean of `ask - bid` over the bar's ticks. Upsert key in the table: (`symbol`, `window_start`).
struct Bar: Codable, Hashable, Sendable {
    var symbol: String
    var windowStart: EventTime
    var windowEnd: EventTime
    var count: Int
    var meanMid: Double
    var minBid: Double
    var maxAsk: Double
    var spread: Double
    var lastSequence: Int64

    init(_ window: WindowResult<String, BarAccumulator>) {
        let bar = window.value
        symbol = window.key
        windowStart = window.start
        windowEnd = window.end
        count = bar.count
        meanMid = bar.midSum / Double(bar.count)
        minBid = bar.minBid
        maxAsk = bar.maxAsk
        spread = bar.spreadSum / Double(bar.count)
        lastSequence = bar.lastSequence
    }
}
