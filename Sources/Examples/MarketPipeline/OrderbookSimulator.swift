import StreamKit

/// A random-walk orderbook feed with per-symbol monotonic sequences; about 1 in 500 ticks is crossed
/// and 1 in 1000 is malformed JSON, so the quality stage has something to reject.
struct OrderbookSimulator {
    private var rng: SplitMix64
    private var mids: [String: Double]
    private var sequences: [String: Int64] = [:]
    private let symbols: [String]
    private let intervalMs: Int64
    private var clockMs: Int64 = 1_763_800_000_000
    private var produced = 0

    init(symbols: [String], seed: UInt64, intervalMs: Int64) {
        self.symbols = symbols
        self.intervalMs = intervalMs
        rng = SplitMix64(seed: seed)
        mids = Dictionary(uniqueKeysWithValues: symbols.enumerated().map { ($1, 30 + Double($0) * 10) })
    }

    /// The next record for `orderbook.raw`, keyed by symbol.
    mutating func nextRecord(topic: String) throws -> RawRecord {
        let symbol = symbols[produced % symbols.count]
        produced += 1
        if produced % symbols.count == 0 { clockMs += intervalMs }
        let sequence = (sequences[symbol] ?? 0) + 1
        sequences[symbol] = sequence
        var mid = mids[symbol]!
        mid = max(0.5, mid + (Double(rng.next() % 2001) - 1000) / 20_000)
        mids[symbol] = mid
        let halfSpread = 0.01 + Double(rng.next() % 100) / 10_000
        var tick = Tick(
            symbol: symbol, bid: mid - halfSpread, ask: mid + halfSpread, bidVolume: Double(rng.next() % 500),
            askVolume: Double(rng.next() % 500), tsEventMs: clockMs, tsIngestMs: clockMs + 1, sequence: sequence)
        if produced % 500 == 0 { tick.ask = tick.bid - 0.01 }  // crossed book
        let value =
            produced % 1_000 == 0 ? Array(#"{"symbol":"\#(symbol)","bid":"#.utf8) : try Serde<Tick>.json.encode(tick)
        return RawRecord(
            topic: topic, key: Array(symbol.utf8), value: value, timestamp: EventTime(milliseconds: clockMs))
    }
}

/// A small, fast, seedable generator so simulated runs are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
