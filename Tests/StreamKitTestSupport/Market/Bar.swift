/// The running aggregate of a 1-second bar: count, mean mid, min bid, max ask.
package struct Bar: Codable, Hashable, Sendable {
    package var count = 0
    package var midSum = 0.0
    package var minBid = Double.infinity
    package var maxAsk = -Double.infinity

    package init() {}

    package static let empty = Bar()

    package var meanMid: Double { midSum / Double(count) }

    package mutating func add(_ tick: Tick) {
        count += 1
        midSum += tick.mid
        minBid = min(minBid, tick.bid)
        maxAsk = max(maxAsk, tick.ask)
    }
}
