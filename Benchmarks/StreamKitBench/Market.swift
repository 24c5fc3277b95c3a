import StreamKit

/// A top-of-book tick, the market pipeline's input; snake_case on the wire.
struct Tick: Codable, Sendable {
    var symbol: String
    var bid: Double
    var ask: Double
    var bidVolume: Double
    var askVolume: Double
    var tsEventMs: Int64
    var tsIngestMs: Int64
    var sequence: Int64

    var isValid: Bool { bid > 0 && ask > bid }
}

/// A 1-second bar per symbol: count, mean mid, min bid, max ask.
struct Bar: Codable, Sendable {
    var count = 0
    var midSum = 0.0
    var minBid = Double.infinity
    var maxAsk = -Double.infinity

    var meanMid: Double { midSum / Double(max(count, 1)) }

    mutating func add(_ tick: Tick) {
        count += 1
        midSum += (tick.bid + tick.ask) / 2
        minBid = min(minBid, tick.bid)
        maxAsk = max(maxAsk, tick.ask)
    }
}

/// Random-walk ticks over `keys` symbols, round robin, with per-symbol sequences and current timestamps.
struct TickFeed {
    let symbols: [String]
    let symbolKeys: [[UInt8]]
    private var mids: [Double]
    private var sequences: [Int64]
    private var state: UInt64 = 0x2545_f491_4f6c_dd1d
    private var produced = 0

    init(keys: Int) {
        symbols = (0..<keys).map { "SYM-\($0)" }
        symbolKeys = symbols.map { Array($0.utf8) }
        mids = (0..<keys).map { 30 + Double($0 % 50) }
        sequences = Array(repeating: 0, count: keys)
    }

    /// The next tick, stamped `nowMs`, and the index of its symbol.
    mutating func next(nowMs: Int64) -> (tick: Tick, symbol: Int) {
        let index = produced % symbols.count
        produced += 1
        let step = Double(Int(nextRandom() % 2_001) - 1_000) / 20_000
        mids[index] = max(1, mids[index] + step)
        sequences[index] += 1
        let half = 0.01 + Double(nextRandom() % 100) / 10_000
        let tick = Tick(
            symbol: symbols[index], bid: mids[index] - half, ask: mids[index] + half,
            bidVolume: Double(nextRandom() % 500), askVolume: Double(nextRandom() % 500), tsEventMs: nowMs,
            tsIngestMs: nowMs, sequence: sequences[index])
        return (tick, index)
    }

    private mutating func nextRandom() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
