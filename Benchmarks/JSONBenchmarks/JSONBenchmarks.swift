import Benchmark
import Foundation
import StreamKitJSON

/// The market tick of DESIGN.md section 5, with synthesized keys (snake_case comes from the key mapping).
struct Tick: Codable {
    var symbol: String
    var bid, ask, bidVolume, askVolume: Double
    var tsEventMs, tsIngestMs: Int64
    var sequence: Int64
}

/// The same tick with explicit snake_case `CodingKeys`: Foundation's fastest configuration.
struct TickWithKeys: Codable {
    var symbol: String
    var bid, ask, bidVolume, askVolume: Double
    var tsEventMs, tsIngestMs: Int64
    var sequence: Int64

    enum CodingKeys: String, CodingKey {
        case symbol, bid, ask, sequence
        case bidVolume = "bid_volume"
        case askVolume = "ask_volume"
        case tsEventMs = "ts_event_ms"
        case tsIngestMs = "ts_ingest_ms"
    }
}

/// The one-second bar of DESIGN.md section 5.
struct Bar: Codable {
    var symbol: String
    var windowStart, windowEnd: Int64
    var count: Int
    var meanMid, minBid, maxAsk, spread: Double
    var lastSequence: Int64
}

let tickJSON = Array(
    (#"{"symbol":"TTF-GAS","bid":31.25,"ask":31.5,"bid_volume":120.0,"ask_volume":95.5,"#
        + #""ts_event_ms":1763800000123,"ts_ingest_ms":1763800000125,"sequence":42}"#).utf8)

let bar = Bar(
    symbol: "TTF-GAS", windowStart: 1_763_800_000_000, windowEnd: 1_763_800_001_000, count: 37,
    meanMid: 31.392567567567568, minBid: 31.25, maxAsk: 31.75, spread: 0.2635135135135135, lastSequence: 1_042)

let benchmarks: @Sendable () -> Void = {
    // Each measured iteration handles 1,000 records; the scaled figures (marked `*`) are per record, so
    // throughput reads as records per second and malloc counts as allocations per record.
    let configuration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal, .cpuTotal], scalingFactor: .kilo,
        maxDuration: .seconds(3))

    Benchmark("Decode tick: StreamKit", configuration: configuration) { benchmark in
        let decoder = StreamJSONDecoder()
        tickJSON.withUnsafeBytes { payload in
            for _ in benchmark.scaledIterations { blackHole(try? decoder.decode(Tick.self, from: payload)) }
        }
    }

    Benchmark("Decode tick: Foundation convertFromSnakeCase", configuration: configuration) { benchmark in
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let data = Data(tickJSON)
        for _ in benchmark.scaledIterations { blackHole(try? decoder.decode(Tick.self, from: data)) }
    }

    Benchmark("Decode tick: Foundation explicit CodingKeys", configuration: configuration) { benchmark in
        let decoder = JSONDecoder()
        let data = Data(tickJSON)
        for _ in benchmark.scaledIterations { blackHole(try? decoder.decode(TickWithKeys.self, from: data)) }
    }

    Benchmark("Encode bar: StreamKit into a reused buffer", configuration: configuration) { benchmark in
        let encoder = StreamJSONEncoder()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(512)
        for _ in benchmark.scaledIterations {
            buffer.removeAll(keepingCapacity: true)
            try? encoder.encode(bar, into: &buffer)
            blackHole(buffer.count)
        }
    }

    Benchmark("Encode bar: Foundation convertToSnakeCase", configuration: configuration) { benchmark in
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        for _ in benchmark.scaledIterations { blackHole(try? encoder.encode(bar)) }
    }
}
