import ArgumentParser
import StreamKit
import StreamKitAvro

/// `streamkit-bench serdes`: JSON and Avro records/s on the market tick, one core, no broker.
struct SerdesBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serdes",
        abstract: "Decode and encode market ticks with StreamKit's JSON coder and with Avro.",
        discussion: """
            Decodes one tick payload N times and encodes one tick N times into a reused buffer, per format, \
            and prints records/s for each (best of --runs). The JSONBenchmarks and AvroBenchmarks \
            package-benchmark suites measure the same operations with allocation counts.
            """)

    @Option(name: .long, help: "Records per run and operation.")
    var records = 1_000_000

    @Option(name: .long, help: "Runs per operation; the best is reported.")
    var runs = 3

    @Option(name: .long, help: "Only these formats, comma separated: json, avro.")
    var formats = "json,avro"

    @OptionGroup var resultsFile: ResultOptions

    func validate() throws {
        guard records > 0, runs > 0 else { throw ValidationError("--records and --runs must be positive") }
    }

    func run() throws {
        let tick = Tick(
            symbol: "TTF-GAS", bid: 31.25, ask: 31.5, bidVolume: 120, askVolume: 95.5, tsEventMs: 1_763_800_000_123,
            tsIngestMs: 1_763_800_000_125, sequence: 42)
        var report = Report(title: "streamkit-bench serdes: market tick, one core")
        report.add("records", "\(Format.grouped(records)) per run, best of \(runs)")
        var figures: [BenchResult] = []
        for name in formats.split(separator: ",").map(String.init) {
            let serde: Serde<Tick>
            switch name {
            case "json": serde = .json
            case "avro": serde = .avro(schema: try AvroSchema(json: Self.tickSchema))
            default: throw ValidationError("unknown format '\(name)': use json or avro")
            }
            let payload = try serde.encode(tick)
            let decode = try best {
                try payload.withUnsafeBytes { bytes in
                    var checksum = 0
                    for _ in 0..<records { checksum &+= Int(try serde.deserialize(bytes).sequence) }
                    return checksum
                }
            }
            var buffer: [UInt8] = []
            buffer.reserveCapacity(512)
            let encode = try best {
                var checksum = 0
                for _ in 0..<records {
                    buffer.removeAll(keepingCapacity: true)
                    try serde.serialize(tick, &buffer)
                    checksum &+= buffer.count
                }
                return checksum
            }
            report.add("\(name) decode", "\(Format.rate(records, decode)) (\(payload.count) bytes/record)")
            report.add("\(name) encode", Format.rate(records, encode))
            for (operation, time) in [("decode", decode), ("encode", encode)] {
                figures.append(
                    BenchResult(
                        section: .serdes, figure: "\(name == "json" ? "JSON" : "Avro") \(operation)",
                        recordsPerSecond: Format.perSecond(records, time),
                        note: "\(payload.count) bytes/record, best of \(runs) × \(Format.grouped(records))"))
            }
        }
        report.print()
        let peak = Machine.peakMemoryBytes
        for index in figures.indices { figures[index].peakMemoryBytes = peak }
        try resultsFile.emit(figures)
    }

    /// The shortest of `runs` timings of `body`; its result is checked so the work cannot be optimised away.
    private func best(_ body: () throws -> Int) throws -> Duration {
        var fastest = Duration.seconds(Int64.max)
        for _ in 0..<runs {
            let started = ContinuousClock.now
            let checksum = try body()
            fastest = min(fastest, ContinuousClock.now - started)
            guard checksum != 0 else { throw BenchError("serdes: the run produced nothing") }
        }
        return fastest
    }

    /// The tick as an Avro record, snake_case field names as on the JSON wire.
    static let tickSchema = """
        {"type":"record","name":"Tick","fields":[
          {"name":"symbol","type":"string"},{"name":"bid","type":"double"},{"name":"ask","type":"double"},
          {"name":"bid_volume","type":"double"},{"name":"ask_volume","type":"double"},
          {"name":"ts_event_ms","type":"long"},{"name":"ts_ingest_ms","type":"long"},
          {"name":"sequence","type":"long"}]}
        """
}
