import StreamKit

/// A top-of-book tick as it appears on `orderbook.raw`.
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

    /// The market invariants a tick must hold, or the first one it breaks.
    var violation: String? {
        if !(bid > 0) { return "bid \(bid) is not positive" }
        if !(ask > bid) { return "ask \(ask) is not above bid \(bid)" }
        if bidVolume < 0 || askVolume < 0 { return "negative volume" }
        return nil
    }
}

/// A 1-second bar per symbol.
struct Bar: Codable, Hashable, Sendable {
    var count = 0
    var midSum = 0.0
    var minBid = Double.infinity
    var maxAsk = -Double.infinity
    var spreadSum = 0.0
    var lastSequence: Int64 = 0

    var meanMid: Double { midSum / Double(max(count, 1)) }
    var meanSpread: Double { spreadSum / Double(max(count, 1)) }

    mutating func add(_ tick: Tick) {
        count += 1
        midSum += tick.mid
        minBid = min(minBid, tick.bid)
        maxAsk = max(maxAsk, tick.ask)
        spreadSum += tick.spread
        lastSequence = max(lastSequence, tick.sequence)
    }
}
