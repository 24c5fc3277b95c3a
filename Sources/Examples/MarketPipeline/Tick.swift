import StreamKit

/// A top-of-book tick as it appears on `orderbook.raw`, keyed by symbol:
/// `{"symbol","bid","ask","bid_volume","ask_volume","ts_event_ms","ts_ingest_ms","sequence"}`.
///
/// `sequence` rises by one per symbol; `ts_event_ms` is the exchange's time of the quote and the pipeline's
/// event time, `ts_ingest_ms` when the feed handler received it.
struct Tick: Codable, Hashable, Sendable {
    var symbol: String
    var bid: Double
    var ask: Double
    var bidVolume: Double
    var askVolume: Double
    var tsEventMs: Int64
    var tsIngestMs: Int64
    var sequence: Int64

    var mid: Double { (bid + ask) / 2 }
    var spread: Double { ask - bid }

    /// The market invariant the tick breaks, as a dead-letter reason; `nil` for a sound tick.
    var violation: String? {
        if !(bid > 0) { return "bid \(bid) is not positive" }
        if !(ask > bid) { return "crossed book: ask \(ask) is not above bid \(bid)" }
        if !(bidVolume >= 0) { return "bid volume \(bidVolume) is negative" }
        if !(askVolume >= 0) { return "ask volume \(askVolume) is negative" }
        return nil
    }
}
