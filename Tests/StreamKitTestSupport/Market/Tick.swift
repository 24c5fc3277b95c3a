/// The market tick of the reference system, as it appears on `orderbook.raw` (snake_case on the wire).
///
/// Plain data: the references in the examples' tests may decode it, since it holds no logic of the library.
package struct Tick: Codable, Hashable, Sendable {
    package var symbol: String
    package var bid: Double
    package var ask: Double
    package var bidVolume: Double
    package var askVolume: Double
    package var tsEventMs: Int64
    package var tsIngestMs: Int64
    package var sequence: Int64

    /// A tick; the ingest time defaults to the event time.
    package init(
        symbol: String, bid: Double, ask: Double, bidVolume: Double = 10, askVolume: Double = 10, tsEventMs: Int64,
        tsIngestMs: Int64? = nil, sequence: Int64 = 0
    ) {
        self.symbol = symbol
        self.bid = bid
        self.ask = ask
        self.bidVolume = bidVolume
        self.askVolume = askVolume
        self.tsEventMs = tsEventMs
        self.tsIngestMs = tsIngestMs ?? tsEventMs
        self.sequence = sequence
    }

    package var mid: Double { (bid + ask) / 2 }

    /// A positive bid below the ask.
    package static func isValid(_ tick: Tick) -> Bool { tick.bid > 0 && tick.ask > tick.bid }
}

/// A tick at `ms` with the given mid (bid = mid − 0.5, ask = mid + 0.5), volumes of 10.
package func tick(_ symbol: String = "TTF-GAS", mid: Double, at ms: Int64, sequence: Int64 = 0) -> Tick {
    Tick(symbol: symbol, bid: mid - 0.5, ask: mid + 0.5, tsEventMs: ms, sequence: sequence)
}
