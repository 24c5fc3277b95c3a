import Foundation
import StreamKit
import StreamKitTestSupport

/// The market pipeline's documented semantics, computed naively from the records of `orderbook.raw`: the
/// expectation the example's outputs are compared with. Shares no code with the example and uses no operator of
/// the library: the records are decoded with Foundation's `JSONDecoder` into the plain `Tick` of the test support.
///
/// Per record, in partition and offset order (a symbol's ticks all sit in one partition):
/// 1. a value that is not a complete tick → dead letter, stage `deserialize`;
/// 2. per key, a sequence number not above the last accepted one → dead letter, stage `sequence`; one more than
///    a step above it (after an earlier tick) → a gap, the tick kept;
/// 3. bid ≤ 0, ask ≤ bid or a negative volume → dead letter, stage `market-invariants`;
/// 4. the rest are valid: rows of `ticks`, folded into 1-second bars by `floor(ts_event_ms / 1000)`, and watched
///    for spikes (spread: α 0.1, above 2×, HIGH above 3×; |Δmid|: α 0.05, above 4×, HIGH above 8×; both after 20
///    values of warm-up).
struct MarketReference {
    struct BarKey: Hashable, Comparable, CustomStringConvertible {
        var symbol: String
        var windowStartMs: Int64

        static func < (a: BarKey, b: BarKey) -> Bool { (a.windowStartMs, a.symbol) < (b.windowStartMs, b.symbol) }
        var description: String { "\(symbol)@\(windowStartMs)" }
    }

    struct BarValues: CustomStringConvertible {
        var count: Int
        var meanMid: Double
        var minBid: Double
        var maxAsk: Double
        var spread: Double
        var lastSequence: Int64

        /// Equal counts and sequence, prices equal to 1e-9 (sums in another order differ in the last bits).
        func matches(_ other: BarValues) -> Bool {
            func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(a)) }
            return count == other.count && lastSequence == other.lastSequence && close(meanMid, other.meanMid)
                && close(minBid, other.minBid) && close(maxAsk, other.maxAsk) && close(spread, other.spread)
        }

        var description: String {
            "count \(count) mid \(meanMid) bid \(minBid) ask \(maxAsk) spread \(spread) seq \(lastSequence)"
        }
    }

    /// A rejected record, by its position in the raw topic (the order dead letters are compared in).
    struct DeadLetter: Hashable, Comparable {
        var partition: Int
        var offset: Int64
        var stage: String

        static func < (a: DeadLetter, b: DeadLetter) -> Bool { (a.partition, a.offset) < (b.partition, b.offset) }
    }

    struct Gap: Hashable, Decodable {
        var symbol: String
        var lastSequence: Int64
        var nextSequence: Int64
        var missing: Int64
    }

    struct Spike: Hashable {
        var symbol: String
        var kind: String
        var sequence: Int64
        var severity: String
    }

    /// A per-symbol EMA baseline, as documented: the first value sets it, each next is compared with it first.
    struct Baseline {
        var count = 0
        var value = 0.0

        mutating func severity(of v: Double, alpha: Double, threshold: Double, high: Double) -> String? {
            defer { count += 1 }
            guard count > 0 else {
                value = v
                return nil
            }
            let before = value
            value = alpha * v + (1 - alpha) * before
            guard count >= 20, before > 0, v > threshold * before else { return nil }
            return v / before > high ? "HIGH" : "MEDIUM"
        }
    }

    private(set) var validTicks: [Tick] = []
    private(set) var bars: [BarKey: BarValues] = [:]
    private(set) var deadLetters: Set<DeadLetter> = []
    private(set) var gaps: Set<Gap> = []
    private(set) var spikes: Set<Spike> = []

    /// - Parameter raw: Records of the raw topic; those at or past `limits[partition]` are left out.
    init(raw: [RawRecord], limits: [Int: Int64] = [:]) {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var lastSequence: [String: Int64] = [:]
        var sums: [BarKey: (count: Int, mid: Double, bid: Double, ask: Double, spread: Double, sequence: Int64)] = [:]
        var spreadBaselines: [String: Baseline] = [:]
        var moveBaselines: [String: Baseline] = [:]
        var lastMid: [String: Double] = [:]
        let ordered = raw.sorted { ($0.partition ?? 0, $0.offset) < ($1.partition ?? 0, $1.offset) }
        for record in ordered where record.offset < limits[record.partition ?? 0] ?? .max {
            func reject(_ stage: String) {
                deadLetters.insert(DeadLetter(partition: record.partition ?? 0, offset: record.offset, stage: stage))
            }
            guard let tick = try? decoder.decode(Tick.self, from: Data(record.value ?? [])) else {
                reject("deserialize")
                continue
            }
            let key = String(decoding: record.key ?? [], as: UTF8.self)
            let last = lastSequence[key] ?? 0
            guard tick.sequence > last else {
                reject("sequence")
                continue
            }
            if last > 0 && tick.sequence > last + 1 {
                gaps.insert(
                    Gap(
                        symbol: tick.symbol, lastSequence: last, nextSequence: tick.sequence,
                        missing: tick.sequence - last - 1))
            }
            lastSequence[key] = tick.sequence
            guard tick.bid > 0, tick.ask > tick.bid, tick.bidVolume >= 0, tick.askVolume >= 0 else {
                reject("market-invariants")
                continue
            }
            validTicks.append(tick)

            let bar = BarKey(symbol: key, windowStartMs: tick.tsEventMs / 1_000 * 1_000)
            var sum = sums[bar] ?? (0, 0, .infinity, -.infinity, 0, 0)
            sum.count += 1
            sum.mid += (tick.bid + tick.ask) / 2
            sum.bid = min(sum.bid, tick.bid)
            sum.ask = max(sum.ask, tick.ask)
            sum.spread += tick.ask - tick.bid
            sum.sequence = max(sum.sequence, tick.sequence)
            sums[bar] = sum

            let spread = tick.ask - tick.bid
            if let severity = spreadBaselines[key, default: Baseline()].severity(
                of: spread, alpha: 0.1, threshold: 2, high: 3)
            {
                spikes.insert(Spike(symbol: key, kind: "spread", sequence: tick.sequence, severity: severity))
            }
            let mid = (tick.bid + tick.ask) / 2
            if let previous = lastMid[key],
                let severity = moveBaselines[key, default: Baseline()].severity(
                    of: abs(mid - previous), alpha: 0.05, threshold: 4, high: 8)
            {
                spikes.insert(Spike(symbol: key, kind: "price", sequence: tick.sequence, severity: severity))
            }
            lastMid[key] = mid
        }
        bars = sums.mapValues { sum in
            BarValues(
                count: sum.count, meanMid: sum.mid / Double(sum.count), minBid: sum.bid, maxAsk: sum.ask,
                spread: sum.spread / Double(sum.count), lastSequence: sum.sequence)
        }
    }
}
