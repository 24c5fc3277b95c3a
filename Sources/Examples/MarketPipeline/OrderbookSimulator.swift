import ExampleSupport
import StreamKit

/// A random-walk top-of-book feed: per symbol, a mid price that moves a little each tick, a spread of 2 to 4
/// ticks of 0.01, and a sequence number that rises by one. Now and then the spread widens six-fold or the mid
/// jumps (sound ticks that the spike detectors flag), and with `--bad-tick-rate` a tick carries an
/// ``InjectedFault``. The same seed gives the same ticks.
struct OrderbookSimulator {
    /// What the simulator produced so far.
    struct Statistics: Sendable {
        var ticks = 0
        var records = 0
        var faults: [InjectedFault: Int] = [:]
    }

    let symbols: [String]
    let badTickRate: Double
    private let serde: Serde<Tick>
    private var rng: SplitMix64
    private var mids: [Double]
    private var sequences: [Int64]
    private(set) var statistics = Statistics()

    /// - Parameters:
    ///   - serde: Encodes the ticks (JSON or Avro).
    ///   - badTickRate: The share of ticks that carry a fault, in [0, 1).
    init(symbols: [String], seed: UInt64, badTickRate: Double, serde: Serde<Tick>) {
        self.symbols = symbols
        self.badTickRate = badTickRate
        self.serde = serde
        rng = SplitMix64(seed: seed)
        mids = symbols.indices.map { 30 + Double($0) * 10 }
        sequences = Array(repeating: 0, count: symbols.count)
    }

    /// The records of one tick of the symbol at `index`, for `topic`, keyed by symbol: usually one; two when a
    /// malformed copy or a duplicate is injected.
    mutating func records(forSymbolAt index: Int, eventTimeMs: Int64, topic: String) throws -> [RawRecord] {
        let fault = rng.unit() < badTickRate ? InjectedFault.allCases[Int(rng.next() % 5)] : nil
        if fault == .sequenceGap { sequences[index] += 1 + Int64(rng.next() % 3) }
        sequences[index] += 1

        var mid = mids[index] + (Double(rng.next() % 2_001) - 1_000) / 20_000
        if rng.next() % 400 == 0 { mid += (rng.next() % 2 == 0 ? 1 : -1) * (0.3 + Double(rng.next() % 300) / 1_000) }
        mid = max(mid, 0.5)
        mids[index] = mid
        var halfSpread = 0.01 + Double(rng.next() % 100) / 10_000
        if rng.next() % 250 == 0 { halfSpread *= 6 }
        var tick = Tick(
            symbol: symbols[index], bid: Self.price(mid - halfSpread), ask: Self.price(mid + halfSpread),
            bidVolume: Double(1 + rng.next() % 500),
            askVolume: Double(1 + rng.next() % 500), tsEventMs: eventTimeMs,
            tsIngestMs: eventTimeMs + 1 + Int64(rng.next() % 3), sequence: sequences[index])
        switch fault {
        case .crossedBook: tick.ask = tick.bid - 0.01
        case .negativeVolume: tick.bidVolume = -tick.bidVolume
        default: break
        }

        let value = try serde.encode(tick)
        var records = [record(value, of: tick, topic: topic)]
        switch fault {
        case .malformed: records.insert(record(Array(value.prefix(value.count / 2)), of: tick, topic: topic), at: 0)
        case .duplicateSequence: records.append(records[0])
        default: break
        }
        statistics.ticks += 1
        statistics.records += records.count
        if let fault { statistics.faults[fault, default: 0] += 1 }
        return records
    }

    /// Prices in steps of 0.0001, as quoted.
    private static func price(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    private func record(_ value: [UInt8], of tick: Tick, topic: String) -> RawRecord {
        RawRecord(
            topic: topic, key: Array(tick.symbol.utf8), value: value,
            timestamp: EventTime(milliseconds: tick.tsEventMs))
    }
}
