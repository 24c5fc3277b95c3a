import StreamKit
import StreamKitTestSupport
import StreamKitTimescale
import Synchronization

/// A bar as stored in `bars_1s`: the window result flattened into columns.
struct BarRow: Codable, Hashable, Sendable {
    var symbol: String
    var windowStart: EventTime
    var windowEnd: EventTime
    var tickCount: Int
    var meanMid: Double
    var minBid: Double
    var maxAsk: Double
}

extension BarRow {
    /// The row of one closed window.
    init(_ result: WindowResult<String, Bar>) {
        self.init(
            symbol: result.key, windowStart: result.start, windowEnd: result.end, tickCount: result.value.count,
            meanMid: result.value.meanMid, minBid: result.value.minBid, maxAsk: result.value.maxAsk)
    }
}

/// Base of the test event times: the start of the hour two hours before the test process started.
///
/// Recent, because on TimescaleDB the tables get the default policies, which run once as soon as they are
/// added: retention drops chunks older than 90 days and compression compresses chunks older than 7 days, which
/// would race with a test writing older rows. Hour-aligned, so windows and buckets line up alike in every run.
let baseMs: Int64 = (WallClock.nowMs / 3_600_000 - 2) * 3_600_000

/// `count` ticks over 3 symbols, 10 ms apart, with mids on a 0.25 grid so sums are exact.
func makeTicks(_ range: Range<Int>) -> [Tick] {
    let symbols = ["TTF-GAS", "BRENT", "NBP"]
    return range.map { i in
        let mid = 50 + Double((i * 7) % 40) * 0.25
        return Tick(
            symbol: symbols[i % 3], bid: mid - 0.25, ask: mid + 0.25, tsEventMs: baseMs + Int64(i) * 10,
            sequence: Int64(i))
    }
}

/// The naive reference: 1-second bars per symbol computed directly from the ticks, in (symbol, start) order.
func referenceBars(_ ticks: [Tick]) -> [BarRow] {
    var bars: [String: [Int64: [Tick]]] = [:]
    for tick in ticks {
        bars[tick.symbol, default: [:]][tick.tsEventMs - tick.tsEventMs % 1_000, default: []].append(tick)
    }
    return bars.keys.sorted().flatMap { symbol in
        bars[symbol]!.keys.sorted().map { start in
            let window = bars[symbol]![start]!
            return BarRow(
                symbol: symbol, windowStart: EventTime(milliseconds: start),
                windowEnd: EventTime(milliseconds: start + 1_000),
                tickCount: window.count, meanMid: window.map(\.mid).reduce(0, +) / Double(window.count),
                minBid: window.map(\.bid).min()!, maxAsk: window.map(\.ask).max()!)
        }
    }
}

/// Appends ticks to the broker's `ticks` topic, keyed by symbol.
func produce(_ ticks: [Tick], to broker: InMemoryBroker) throws {
    for tick in ticks {
        try broker.appendJSON(tick, key: tick.symbol, to: "ticks", at: tick.tsEventMs)
    }
}

/// The rows of `bars_1s` in (symbol, start) order.
func storedBars(_ pg: TimescaleConnection, table: String = "bars_1s") async throws -> [BarRow] {
    let rows = try await pg.execute(
        """
        SELECT symbol, (extract(epoch FROM window_start) * 1000)::bigint, (extract(epoch FROM window_end) * 1000)::bigint,
               tick_count, mean_mid, min_bid, max_ask
        FROM \(try SQLTableName(table)) ORDER BY symbol, window_start
        """)
    return rows.map { row in
        BarRow(
            symbol: row[0] ?? "", windowStart: EventTime(milliseconds: Int64(row[1] ?? "") ?? -1),
            windowEnd: EventTime(milliseconds: Int64(row[2] ?? "") ?? -1), tickCount: Int(row[3] ?? "") ?? -1,
            meanMid: Double(row[4] ?? "") ?? .nan, minBid: Double(row[5] ?? "") ?? .nan,
            maxAsk: Double(row[6] ?? "") ?? .nan)
    }
}

/// A sink placed after the database sink that counts what reaches it and, once armed, fails its flush:
/// a crash after the database committed and before the broker's offsets are committed. A test fake.
final class CheckpointFaultSink<Value: Sendable>: StreamSink {
    private let state = Mutex((count: 0, isArmed: false))

    func append(_ value: Value, context: SinkContext) throws { state.withLock { $0.count += 1 } }

    func flush(checkpoint: SinkCheckpoint) async throws {
        if state.withLock({ $0.isArmed }) { throw SimulatedCrash() }
    }

    /// Makes the next flushes fail.
    func arm() { state.withLock { $0.isArmed = true } }

    /// Values appended so far.
    var count: Int { state.withLock { $0.count } }
}

/// What `CheckpointFaultSink` throws.
struct SimulatedCrash: Error {}
