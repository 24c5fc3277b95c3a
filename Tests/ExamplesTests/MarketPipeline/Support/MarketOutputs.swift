import Foundation
import StreamKit
import StreamKitTestSupport
import StreamKitTimescale

/// What the market pipeline wrote, read back from its topics and tables in the shapes the reference uses.
enum MarketOutputs {
    /// A record of `orderbook.bars.1s`, as documented.
    struct BarRecord: Decodable {
        var symbol: String
        var windowStart: Int64
        var windowEnd: Int64
        var count: Int
        var meanMid: Double
        var minBid: Double
        var maxAsk: Double
        var spread: Double
        var lastSequence: Int64

        var key: MarketReference.BarKey { .init(symbol: symbol, windowStartMs: windowStart) }
        var values: MarketReference.BarValues {
            .init(
                count: count, meanMid: meanMid, minBid: minBid, maxAsk: maxAsk, spread: spread,
                lastSequence: lastSequence)
        }
    }

    /// A record of `orderbook.spikes`, as documented (the fields the reference predicts).
    struct SpikeRecord: Decodable {
        var symbol: String
        var kind: String
        var severity: String
        var sequence: Int64

        var spike: MarketReference.Spike {
            .init(symbol: symbol, kind: kind, sequence: sequence, severity: severity)
        }
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ records: [RawRecord]) throws -> [Value] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try records.map { try decoder.decode(Value.self, from: Data($0.value ?? [])) }
    }

    /// The dead letters' source positions and stages, from their headers.
    static func deadLetters(_ records: [RawRecord]) -> [MarketReference.DeadLetter] {
        records.map { record in
            MarketReference.DeadLetter(
                partition: Int(record.headers.value(named: "streamkit.source.partition") ?? "") ?? -1,
                offset: Int64(record.headers.value(named: "streamkit.source.offset") ?? "") ?? -1,
                stage: record.headers.value(named: "streamkit.stage") ?? "")
        }
    }

    /// The rows of `bars_1s`.
    static func barRows(_ pg: TimescaleConnection) async throws -> [(MarketReference.BarKey, MarketReference.BarValues)]
    {
        try await pg.execute(
            """
            SELECT symbol, (extract(epoch FROM window_start) * 1000)::bigint, count, mean_mid, min_bid, max_ask,
                   spread, last_sequence
            FROM bars_1s
            """
        ).map { row in
            (
                MarketReference.BarKey(symbol: row[0] ?? "", windowStartMs: Int64(row[1] ?? "") ?? -1),
                MarketReference.BarValues(
                    count: Int(row[2] ?? "") ?? -1, meanMid: Double(row[3] ?? "") ?? .nan,
                    minBid: Double(row[4] ?? "") ?? .nan, maxAsk: Double(row[5] ?? "") ?? .nan,
                    spread: Double(row[6] ?? "") ?? .nan, lastSequence: Int64(row[7] ?? "") ?? -1)
            )
        }
    }

    /// A stored tick, by the fields that identify and describe it.
    struct TickRow: Hashable {
        var symbol: String
        var sequence: Int64
        var tsEventMs: Int64
        var bid: Double
        var ask: Double
    }

    /// The rows of `ticks`, duplicates kept.
    static func tickRows(_ pg: TimescaleConnection) async throws -> [TickRow] {
        try await pg.execute(
            "SELECT symbol, sequence, (extract(epoch FROM ts_event) * 1000)::bigint, bid, ask FROM ticks"
        ).map { row in
            TickRow(
                symbol: row[0] ?? "", sequence: Int64(row[1] ?? "") ?? -1, tsEventMs: Int64(row[2] ?? "") ?? -1,
                bid: Double(row[3] ?? "") ?? .nan, ask: Double(row[4] ?? "") ?? .nan)
        }
    }

    static func tickRows(_ ticks: [Tick]) -> [TickRow] {
        ticks.map {
            TickRow(symbol: $0.symbol, sequence: $0.sequence, tsEventMs: $0.tsEventMs, bid: $0.bid, ask: $0.ask)
        }
    }

    /// The next offsets stored in `streamkit_offsets` for `group`, per partition of `topic`.
    static func storedOffsets(_ pg: TimescaleConnection, group: String, topic: String) async throws -> [Int: Int64] {
        var offsets: [Int: Int64] = [:]
        for row in try await pg.execute(
            "SELECT partition, next_offset FROM streamkit_offsets WHERE consumer_group = \(group) AND topic = \(topic)")
        {
            offsets[Int(row[0] ?? "") ?? -1] = Int64(row[1] ?? "") ?? -1
        }
        return offsets
    }
}
