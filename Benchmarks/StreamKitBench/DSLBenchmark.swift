import ArgumentParser
import StreamKit

/// `streamkit-bench dsl`: the in-memory DSL figure, as in the DataFrameBenchmarks package-benchmark suite.
struct DSLBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dsl",
        abstract: "map → filter → 1 s tumbling aggregate over K keys on the in-memory broker.",
        discussion: """
            Fills an InMemoryBroker with N ticks in a fixed binary layout (so the figure measures the DSL, \
            not JSON), then times PipelineHarness.processPending() over them.
            """)

    @Option(name: .long, help: "Records to process.")
    var records = 1_000_000

    @Option(name: .long, help: "Distinct keys.")
    var keys = 5

    @Option(name: .long, help: "The BENCHMARKS.md table for the figures: dsl or keys.")
    var section = BenchSection.dsl

    @OptionGroup var resultsFile: ResultOptions

    func validate() throws {
        guard records > 0, keys > 0 else { throw ValidationError("--records and --keys must be positive") }
    }

    func run() throws {
        let broker = InMemoryBroker()
        broker.createTopic(TopicSpec(name: "ticks", partitions: 1))
        let symbols = (0..<keys).map { Array("SYM-\($0)".utf8) }
        for index in 0..<records {
            let ts = Int64(index / 5)
            let mid = 30 + Double(index % 97) / 10
            _ = broker.append(
                RawRecord(
                    topic: "ticks", partition: 0, key: symbols[index % keys],
                    value: PackedQuote.encode(bid: mid - 0.05, ask: mid + 0.05, tsEventMs: ts),
                    timestamp: EventTime(milliseconds: ts)))
        }

        let app = try StreamApp(name: "streamkit-bench-dsl", broker: broker)
        let ticks = app.topic("ticks", key: String.self, value: PackedQuote.self, format: PackedQuote.serde)
        let sink = CountingSink()
        app.dataframe(ticks)
            .eventTime(\.tsEventMs)
            .map { (mid: ($0.bid + $0.ask) / 2, spread: $0.ask - $0.bid) }
            .filter { $0.spread > 0 }
            .tumblingWindow(.seconds(1))
            .aggregate(into: MidBar()) { bar, quote in
                bar.count += 1
                bar.midSum += quote.mid
                bar.maxSpread = max(bar.maxSpread, quote.spread)
            }
            .final()
            .to(sink)
        let harness = try PipelineHarness(app)

        let cpuBefore = Machine.cpuTime
        let started = ContinuousClock.now
        try harness.processPending()
        let elapsed = ContinuousClock.now - started
        let cpu = Machine.cpuTime - cpuBefore

        var report = Report(title: "streamkit-bench dsl: map → filter → 1 s tumbling aggregate, in memory")
        report.add("records", "\(Format.grouped(records)) over \(Format.grouped(keys)) keys")
        report.add("throughput", "\(Format.rate(records, elapsed)) in \(Format.seconds(elapsed))")
        report.add("windows closed", Format.grouped(sink.count))
        report.add(
            "target", "≥ 5,000,000 records/s: \(Format.perSecond(records, elapsed) >= 5_000_000 ? "met" : "NOT met")")
        report.add("peak memory", "\(Format.bytes(Machine.peakMemoryBytes)) (input held in memory)")
        report.print()
        let rate = Format.perSecond(records, elapsed)
        try resultsFile.emit([
            BenchResult(
                section: section, figure: "in-memory DSL, \(Format.grouped(keys)) keys", recordsPerSecond: rate,
                cpuNanosecondsPerRecord: BenchResult.cpuNanoseconds(cpu, per: records),
                peakMemoryBytes: Machine.peakMemoryBytes,
                target: section == .dsl ? "≥ 5,000,000 records/s" : nil,
                isTargetMet: section == .dsl ? rate >= 5_000_000 : nil,
                note:
                    "\(Format.grouped(records)) records, \(Format.grouped(sink.count)) windows closed, input in memory")
        ])
    }
}

/// A quote in a fixed 24-byte layout: bid, ask, event time.
struct PackedQuote: Sendable {
    var bid: Double
    var ask: Double
    var tsEventMs: Int64

    static func encode(bid: Double, ask: Double, tsEventMs: Int64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        withUnsafeBytes(of: bid) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: ask) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: tsEventMs) { out.append(contentsOf: $0) }
        return out
    }

    static let serde = Serde<PackedQuote>(
        name: "bench-packed",
        serialize: { quote, out in
            out.append(contentsOf: encode(bid: quote.bid, ask: quote.ask, tsEventMs: quote.tsEventMs))
        },
        deserialize: { bytes in
            PackedQuote(
                bid: bytes.loadUnaligned(fromByteOffset: 0, as: Double.self),
                ask: bytes.loadUnaligned(fromByteOffset: 8, as: Double.self),
                tsEventMs: bytes.loadUnaligned(fromByteOffset: 16, as: Int64.self))
        })
}

/// The DSL benchmark's window aggregate.
struct MidBar: Codable, Sendable {
    var count = 0
    var midSum = 0.0
    var maxSpread = 0.0
}

/// Counts window results without keeping them. Only the harness's thread appends.
final class CountingSink: StreamSink, @unchecked Sendable {
    private(set) var count = 0
    func append(_ value: WindowResult<String, MidBar>, context: SinkContext) throws { count += 1 }
    func flush(checkpoint: SinkCheckpoint) async throws {}
}
