import StreamKit

/// The market tick of the reference system, as it appears on `orderbook.raw`.
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

    static func isValid(_ tick: Tick) -> Bool { tick.bid > 0 && tick.ask > tick.bid }
}

/// A 1-second bar: count, mean mid, min bid, max ask.
struct Bar: Codable, Hashable, Sendable {
    var count = 0
    var midSum = 0.0
    var minBid = Double.infinity
    var maxAsk = -Double.infinity

    static let empty = Bar()

    var meanMid: Double { midSum / Double(count) }

    mutating func add(_ tick: Tick) {
        count += 1
        midSum += tick.mid
        minBid = min(minBid, tick.bid)
        maxAsk = max(maxAsk, tick.ask)
    }
}

/// A tick at `ms` with the given mid (bid = mid − 0.5, ask = mid + 0.5).
func tick(_ symbol: String = "TTF-GAS", mid: Double, at ms: Int64, sequence: Int64 = 0) -> Tick {
    Tick(
        symbol: symbol, bid: mid - 0.5, ask: mid + 0.5, bidVolume: 10, askVolume: 10, tsEventMs: ms, tsIngestMs: ms,
        sequence: sequence)
}

/// An app on a fresh in-memory broker.
func makeApp(_ name: String = "test-app", errors: ErrorPolicy = .fail, broker: InMemoryBroker = InMemoryBroker())
    throws -> StreamApp
{
    try StreamApp(name: name, broker: broker, errors: errors)
}

extension PipelineHarness {
    /// Sends ticks keyed by symbol, timed by their event time.
    func send(_ topic: Topic<String, Tick>, _ ticks: [Tick]) throws {
        try send(topic, ticks, key: \.symbol, timestamp: { EventTime(milliseconds: $0.tsEventMs) })
    }
}
