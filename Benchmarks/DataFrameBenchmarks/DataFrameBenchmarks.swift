import Benchmark
import StreamKit

/// A tick as the DSL benchmark sees it, with a fixed-layout binary format so the figure measures the
/// DSL (source stage, operators, window state) rather than JSON.
struct BenchTick: Sendable {
    var symbol: String
    var bid: Double
    var ask: Double
    var tsEventMs: Int64

    static let serde = Serde<BenchTick>(
        name: "bench-binary",
        serialize: { tick, out in
            withUnsafeBytes(of: tick.bid) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: tick.ask) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: tick.tsEventMs) { out.append(contentsOf: $0) }
            out.append(contentsOf: tick.symbol.utf8)
        },
        deserialize: { bytes in
            BenchTick(
                symbol: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[24...]), as: UTF8.self),
                bid: bytes.loadUnaligned(fromByteOffset: 0, as: Double.self),
                ask: bytes.loadUnaligned(fromByteOffset: 8, as: Double.self),
                tsEventMs: bytes.loadUnaligned(fromByteOffset: 16, as: Int64.self))
        })
}

/// The 1-second bar the pipeline computes.
struct BenchBar: Codable, Sendable {
    var count = 0
    var midSum = 0.0
    var maxSpread = 0.0
}

/// Counts results without keeping them, so memory stays flat across iterations.
final class CountingSink: StreamSink, @unchecked Sendable {
    // Only the benchmark's single thread appends.
    var count = 0
    func append(_ value: WindowResult<String, BenchBar>, context: SinkContext) throws { count += 1 }
    func flush(checkpoint: SinkCheckpoint) async throws {}
}

let recordsPerRun = 1_000_000

/// An in-memory broker holding `recordsPerRun` ticks over `keys` symbols, 1 ms apart per 5 records.
func makeInput(keys: Int) -> InMemoryBroker {
    let broker = InMemoryBroker()
    broker.createTopic(TopicSpec(name: "ticks", partitions: 1))
    let symbols = (0..<keys).map { "SYM-\($0)" }
    for i in 0..<recordsPerRun {
        let symbol = symbols[i % keys]
        let ts = Int64(i / 5)
        let mid = 30 + Double(i % 97) / 10
        let tick = BenchTick(symbol: symbol, bid: mid - 0.05, ask: mid + 0.05, tsEventMs: ts)
        broker.append(
            RawRecord(
                topic: "ticks", partition: 0, key: Array(symbol.utf8), value: try! BenchTick.serde.encode(tick),
                timestamp: EventTime(milliseconds: ts)))
    }
    return broker
}

/// map → filter → 1 s tumbling aggregate, on a fresh app over the same input.
func runPipeline(on broker: InMemoryBroker, sink: CountingSink) throws {
    let app = try StreamApp(name: "bench-\(sink.count)", broker: broker)
    let ticks = app.topic("ticks", key: String.self, value: BenchTick.self, format: BenchTick.serde)
    app.dataframe(ticks)
        .eventTime(\.tsEventMs)
        .map { tick in (mid: (tick.bid + tick.ask) / 2, spread: tick.ask - tick.bid) }
        .filter { $0.spread > 0 }
        .tumblingWindow(.seconds(1))
        .aggregate(into: BenchBar()) { bar, t in
            bar.count += 1
            bar.midSum += t.mid
            bar.maxSpread = max(bar.maxSpread, t.spread)
        }
        .final()
        .to(sink)
    let harness = try PipelineHarness(app)
    try harness.processPending()
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 10)

    for keys in [5, 100_000] {
        var broker: InMemoryBroker?
        Benchmark("DSL map→filter→1s tumbling aggregate, \(keys) keys, 1M records") { benchmark in
            let sink = CountingSink()
            benchmark.startMeasurement()
            try runPipeline(on: broker!, sink: sink)
            benchmark.stopMeasurement()
            blackHole(sink.count)
        } setup: {
            broker = makeInput(keys: keys)
        } teardown: {
            broker = nil
        }
    }
}
