import ArgumentParser
import StreamKit
import StreamKitKafka
import Synchronization

/// `streamkit-bench kafka`: produce rate, raw consume rate (the ceiling), and the market pipeline's rate.
struct KafkaBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka",
        abstract: "Produce N JSON ticks, consume them raw, then run the market pipeline over them.",
        discussion: """
            1. produces N ticks (keyed by symbol, current timestamps) to a fresh topic with the idempotent \
            producer; 2. consumes the topic with KafkaConsumer batch polling, counting messages and bytes \
            without decoding (the ceiling), timed from its assign to the last record; 3. runs the market \
            pipeline (JSON decode, validate, event time, 1 s tumbling bars per symbol, final, output topic) \
            with app.run(mode: .backtest), timed from its partition assignment to the last record processed. \
            Both timings include the first fetch; the pipeline's group join is not timed.
            """)

    @OptionGroup var broker: BrokerOptions

    @Option(name: .long, help: "Ticks to produce.")
    var records = 1_000_000

    @Option(name: .long, help: "Partitions of the input topic.")
    var partitions = 3

    @Option(name: .long, help: "Distinct symbols (keys).")
    var keys = 5

    @Option(name: .long, help: "Records per consumer poll, for the raw consumer (the runtime polls 4 096).")
    var pollSize = 4_096

    @Option(name: .long, help: "The BENCHMARKS.md table for the figures: kafka, or keys (the pipeline row only).")
    var section = BenchSection.kafka

    @OptionGroup var resultsFile: ResultOptions

    func validate() throws {
        guard records > 0 else { throw ValidationError("--records must be positive") }
        guard partitions > 0 else { throw ValidationError("--partitions must be positive") }
        guard keys > 0 else { throw ValidationError("--keys must be positive") }
        guard pollSize > 0 else { throw ValidationError("--poll-size must be positive") }
    }

    func run() async throws {
        let brokers = try broker.resolved()
        let runID = Machine.wallMilliseconds()
        let topic = "streamkit-bench.ticks.\(runID)"
        let base = Self.consumerConfiguration(brokers)

        let admin = try KafkaAdmin(configuration: base)
        try await admin.createTopics([KafkaTopicSpecification(name: topic, partitions: partitions)])

        let produced = try await Self.produce(records: records, keys: keys, topic: topic, base: base)
        Machine.resetPeakMemory()
        let raw = try await consumeRaw(topic: topic, base: base)
        let rawPeak = Machine.peakMemoryBytes
        Machine.resetPeakMemory()
        let pipeline = try await runPipeline(topic: topic, brokers: brokers, runID: runID)
        let pipelinePeak = Machine.peakMemoryBytes

        var report = Report(title: "streamkit-bench kafka: market pipeline end to end")
        report.add("broker", brokers)
        report.add("topic", "\(topic) (\(partitions) partitions, \(Format.grouped(keys)) keys)")
        report.add("records", Format.grouped(records))
        report.add("payload", "\(Format.bytes(produced.bytes)) (\(produced.bytes / records) bytes/record)")
        report.add(
            "produce (idempotent)", "\(Format.rate(records, produced.elapsed)) in \(Format.seconds(produced.elapsed))")
        report.add(
            "raw consume (ceiling)",
            "\(Format.rate(raw.count, raw.elapsed)) in \(Format.seconds(raw.elapsed)), "
                + Format.megabytesPerSecond(raw.bytes, raw.elapsed))
        report.add(
            "StreamKit pipeline",
            "\(Format.rate(pipeline.count, pipeline.elapsed)) in \(Format.seconds(pipeline.elapsed))")
        report.add(
            "  first record → last",
            "\(Format.rate(pipeline.count, pipeline.steady)) (first record \(Format.seconds(pipeline.firstRecord)) "
                + "after assignment)")
        let ratio = Format.perSecond(pipeline.count, pipeline.elapsed) / Format.perSecond(raw.count, raw.elapsed)
        report.add("pipeline / raw", Format.percent(ratio))
        // CPU time does not depend on how busy the shared machine is, so it compares runs where rates cannot.
        report.add(
            "CPU per record (process)",
            "raw consume \(Self.microsecondsPerRecord(raw.cpu, raw.count)), "
                + "pipeline \(Self.microsecondsPerRecord(pipeline.cpu, pipeline.count)) (assignment to last record)")
        report.add(
            "pipeline run, all in",
            "\(Format.seconds(pipeline.total)) (group join, restore check, final checkpoint)")
        report.add("bars out", Format.grouped(pipeline.bars))
        let isMet = Format.perSecond(pipeline.count, pipeline.elapsed) >= 300_000 && ratio >= 0.7
        report.add("targets", "≥ 300,000 records/s and ≥ 70 % of raw: \(isMet ? "met" : "NOT met")")
        report.add("peak memory", "raw consume \(Format.bytes(rawPeak)), pipeline \(Format.bytes(pipelinePeak))")
        report.print()

        let rawRate = Format.perSecond(raw.count, raw.elapsed)
        let pipelineFigure = BenchResult(
            section: section, figure: "StreamKit market pipeline, \(Format.grouped(keys)) keys",
            recordsPerSecond: Format.perSecond(pipeline.count, pipeline.elapsed),
            cpuNanosecondsPerRecord: BenchResult.cpuNanoseconds(pipeline.cpu, per: pipeline.count),
            peakMemoryBytes: pipelinePeak,
            target: section == .kafka ? "≥ 300,000 records/s and ≥ 70 % of raw consume" : nil,
            isTargetMet: section == .kafka ? isMet : nil,
            note: "\(Format.percent(ratio)) of raw consume (\(Format.grouped(Int(rawRate))) records/s); "
                + "first record → last \(Format.grouped(Int(Format.perSecond(pipeline.count, pipeline.steady)))) "
                + "records/s (first record \(Format.seconds(pipeline.firstRecord)) after assignment); "
                + "\(Format.grouped(pipeline.bars)) bars out")
        guard section == .kafka else { return try resultsFile.emit([pipelineFigure]) }
        try resultsFile.emit([
            BenchResult(
                section: section, figure: "produce (idempotent, acks=all)",
                recordsPerSecond: Format.perSecond(records, produced.elapsed),
                note: "\(Format.grouped(records)) records, \(produced.bytes / records) bytes each, "
                    + "\(partitions) partitions"),
            BenchResult(
                section: section, figure: "raw librdkafka consume (the ceiling)", recordsPerSecond: rawRate,
                cpuNanosecondsPerRecord: BenchResult.cpuNanoseconds(raw.cpu, per: raw.count), peakMemoryBytes: rawPeak,
                note: Format.megabytesPerSecond(raw.bytes, raw.elapsed)),
            pipelineFigure,
        ])
    }

    /// The same client settings for the raw consumer and the pipeline. The development broker (noida-db) answers a
    /// fetch with everything it has, ignoring `fetch.max.bytes`, so responses can exceed librdkafka's 100 MB
    /// `receive.message.max.bytes`; the limit is raised so that a large topic can be read at all.
    static func consumerConfiguration(_ brokers: String) -> KafkaConfiguration {
        var configuration = KafkaConfiguration(bootstrapServers: brokers)
        configuration.properties["receive.message.max.bytes"] = "2000000000"
        return configuration
    }

    private static func microsecondsPerRecord(_ cpu: Duration, _ count: Int) -> String {
        String(format: "%.2f µs", cpu / .microseconds(1) / Double(max(count, 1)))
    }

    // MARK: - 1. Produce

    /// Produces `records` ticks over `keys` symbols with the idempotent producer, with a progress bar.
    static func produce(
        records: Int, keys: Int, topic: String, base: KafkaConfiguration
    ) async throws -> (elapsed: Duration, bytes: Int) {
        var configuration = base
        configuration.enableIdempotence = true
        configuration.acks = .all
        configuration.linger = .milliseconds(5)
        configuration.properties["queue.buffering.max.messages"] = "1000000"
        configuration.properties["queue.buffering.max.kbytes"] = "1048576"
        let producer = try KafkaProducer(configuration: configuration)
        var source = TickSource(topic: topic, keys: keys, total: records)
        let progress = Progress("produce", total: records)
        let drawing = progress.start()
        let started = ContinuousClock.now
        while try !source.enqueue(into: producer) {
            progress.set(source.produced)
            try await Task.sleep(for: .milliseconds(1))
        }
        try await producer.flush(timeout: .seconds(300))
        let elapsed = ContinuousClock.now - started
        progress.set(records)
        progress.finish()
        await drawing.value
        return (elapsed, source.bytes)
    }

    // MARK: - 2. Raw consume

    private func consumeRaw(topic: String, base: KafkaConfiguration) async throws -> (
        count: Int, bytes: Int, elapsed: Duration, cpu: Duration
    ) {
        let cpuBefore = Machine.cpuTime
        let consumer = try KafkaConsumer(configuration: base)
        // Connected before the clock starts, as the pipeline's consumer is when its partitions are assigned.
        for partition in 0..<partitions {
            _ = try await consumer.watermarks(for: KafkaTopicPartition(topic: topic, partition: partition))
        }
        try consumer.assign(
            Dictionary(
                uniqueKeysWithValues: (0..<partitions).map {
                    (KafkaTopicPartition(topic: topic, partition: $0), KafkaOffset.beginning)
                }))
        let assigned = ContinuousClock.now
        var count = 0
        var bytes = 0
        var lastProgress = ContinuousClock.now
        let progress = Progress("raw consume", total: records)
        let drawing = progress.start()
        while count < records {
            let batch = try await consumer.nextBatch(maxMessages: pollSize, timeout: .milliseconds(100))
            if batch.isEmpty {
                if ContinuousClock.now - lastProgress > .seconds(60) {
                    throw BenchError("raw consumer: no records for 60 s after \(count) of \(records)")
                }
                continue
            }
            lastProgress = ContinuousClock.now
            bytes += Self.payloadBytes(of: batch)
            count += batch.count
            progress.set(count)
        }
        let elapsed = ContinuousClock.now - assigned
        progress.finish()
        await drawing.value
        try await consumer.close()
        return (count, bytes, elapsed, Machine.cpuTime - cpuBefore)
    }

    /// Key and value bytes of a batch, read in place (kept out of the async loop, which the optimizer prefers).
    private static func payloadBytes(of batch: KafkaMessageBatch) -> Int {
        var bytes = 0
        batch.forEach { message in bytes += (message.value?.count ?? 0) + (message.key?.count ?? 0) }
        return bytes
    }

    // MARK: - 3. The market pipeline

    struct PipelineFigures {
        var count: Int
        /// From the partition assignment to the last record.
        var elapsed: Duration
        /// From the first record to the last: without the first fetch (and without the restore check).
        var steady: Duration
        /// From the assignment to the first record processed.
        var firstRecord: Duration
        var total: Duration
        var bars: Int
        /// Process CPU time from the assignment to the last record processed.
        var cpu: Duration
    }

    private func runPipeline(topic: String, brokers: String, runID: Int64) async throws -> PipelineFigures {
        let app = try StreamApp(name: "streamkit-bench-\(runID)", broker: .kafka(Self.consumerConfiguration(brokers)))
        let progress = Progress("pipeline", total: records)
        let timer = RecordTimer(target: records, progress: progress)
        let barCount = Atomic<Int>(0)

        MarketPipeline.define(
            on: app, topic: topic, partitions: partitions, onRecord: timer.tick,
            onBar: { barCount.add(1, ordering: .relaxed) })

        let drawing = progress.start()
        let started = ContinuousClock.now
        let watch = AssignmentWatch(app)
        defer { watch.stop() }
        try await app.run(mode: .backtest)
        let total = ContinuousClock.now - started
        progress.set(timer.count)
        progress.finish()
        await drawing.value
        guard let last = timer.last, let first = timer.first, let assignment = watch.assignment else {
            throw BenchError("pipeline saw \(timer.count) of \(records) records")
        }
        let elapsed = last.instant - assignment.instant
        let cpu = last.cpu - assignment.cpu
        return PipelineFigures(
            count: timer.count, elapsed: elapsed, steady: last.instant - first,
            firstRecord: first - assignment.instant, total: total, bars: barCount.load(ordering: .relaxed),
            cpu: cpu)
    }
}

/// Counts records through a pipeline and notes when the `target`-th was processed, in wall-clock and process CPU
/// time.
///
/// Only the runtime's single processing thread calls `tick`; the figures are read after the run.
final class RecordTimer: @unchecked Sendable {
    private let target: Int
    private let progress: Progress
    private(set) var count = 0
    /// When the first record was processed.
    private(set) var first: ContinuousClock.Instant?
    /// When the `target`-th record was processed, and the process's CPU time then.
    private(set) var last: (instant: ContinuousClock.Instant, cpu: Duration)?

    init(target: Int, progress: Progress) {
        self.target = target
        self.progress = progress
    }

    func tick() {
        count += 1
        if count == 1 { first = .now }
        if count == target { last = (.now, Machine.cpuTime) }
        if count & 1_023 == 0 { progress.set(count) }
    }
}
/// Encodes ticks and enqueues them until librdkafka's queue is full or all are sent.
struct TickSource: ProducerSource {
    let topic: String
    let total: Int
    private var feed: TickFeed
    private let serde = Serde<Tick>.json
    var pending: KafkaProducerMessage?
    var produced = 0
    private(set) var bytes = 0

    init(topic: String, keys: Int, total: Int) {
        self.topic = topic
        self.total = total
        feed = TickFeed(keys: keys)
    }

    mutating func next() throws -> KafkaProducerMessage {
        let now = Machine.wallMilliseconds()
        let (tick, symbol) = feed.next(nowMs: now)
        let value = try serde.encode(tick)
        bytes += value.count
        return KafkaProducerMessage(topic: topic, key: feed.symbolKeys[symbol], value: value, timestampMs: now)
    }
}
