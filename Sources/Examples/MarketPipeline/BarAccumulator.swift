/// The running state of one symbol's 1-second window: what a `Bar` is computed from when it closes.
struct BarAccumulator: Codable, Hashable, Sendable {
    var count = 0
    var midSum = 0.0
    var minBid = Double.infinity
    var maxAsk = -Double.infinity
    var spreadSum = 0.0
    var lastSequence: Int64 = 0

    mutating func add(_ tick: Tick) {
        count += 1
        midSum += tick.mid
        minBid = min(minBid, tick.bid)
        maxAsk = max(maxAsk, tick.ask)
        spreadSum += tick.spread
        lastSequence = max(lastSequence, tick.sequence)
    }
}
