import ArgumentParser
import Foundation
import StreamKit
import StreamKitKafka
import Synchronization

/// `streamkit-bench latency`: end-to-end latency through a StreamKit pipeline at a fixed produce rate.
struct LatencyBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract: "End-to-end latency (p50/p99/max) through decode → map → to(topic) at a fixed rate.",
        discussion: """
            A producer paces ticks at --rate for --seconds, each with its send time (wall-clock µs) in \
            the header 'bench-sent-us'; a StreamKit app (JSON decode → map → to(output topic)) runs \
            concurrently; a consumer of the output topic computes receive time − send time. Records \
            sent during the warm-up (until the app is assigned and the first output arrives) are not \
            counted.
            """)

    static let sentHeader = "bench-sent-us"

    @OptionGroup var broker: BrokerOptions

    @Option(name: .long, help: "Records per second to produce.")
    var rate = 10_000

    @Option(name: .long, help: "Seconds to measure.")
    var seconds = 10

    @Option(name: .long, help: "Partitions of the input and output topics.")
    var partitions = 3

    @Option(name: .long, help: "linger.ms for the pipeline's producer (default: librdkafka's own).")
    var pipelineLingerMs: Int?

    @Option(
        name: .long,
        help: "Checkpoint interval in ms (the default policy, also every 10 000 records, when 1 000); for A/B runs.")
    var checkpointMs = 1_000

    @OptionGroup var resultsFile: ResultOptions

    func validate() throws {
        guard rate > 0, seconds > 0, partitions > 0, checkpointMs > 0 else {
            throw ValidationError("--rate, --seconds and --partitions must be positive")
        }
    }

    func run() async throws {
        let brokers = try broker.resolved()
        let runID = Machine.wallMilliseconds()
        let input = "streamkit-bench.latency.\(runID).in"
        let output = "streamkit-bench.latency.\(runID).out"
        let base = KafkaBenchmark.consumerConfiguration(brokers)
        let admin = try KafkaAdmin(configuration: base)
        try await admin.createTopics([
            KafkaTopicSpecification(name: input, partitions: partitions),
            KafkaTopicSpecification(name: output, partitions: partitions),
        ])

        // The pipeline under test.
        var appConfiguration = base
        if let pipelineLingerMs { appConfiguration.linger = .milliseconds(pipelineLingerMs) }
        let app = try StreamApp(
            name: "streamkit-bench-latency-\(runID)", broker: .kafka(appConfiguration),
            checkpoint: CheckpointPolicy(
                records: checkpointMs == 1_000 ? CheckpointPolicy.default.records : .max,
                interval: .milliseconds(checkpointMs)))
        let ticks = app.topic(input, key: String.self, value: Tick.self, format: .json, partitions: partitions)
        let quotes = app.topic(output, key: String.self, value: Quote.self, format: .json, partitions: partitions)
        let inputHop = InputHopRecorder()
        app.dataframe(ticks)
            .peek { inputHop.record($0.value) }
            .map {
                Quote(symbol: $0.symbol, mid: ($0.bid + $0.ask) / 2, spread: $0.ask - $0.bid, sequence: $0.sequence)
            }
            .to(quotes)
        let pipeline = Task { try await app.run(mode: .continuous) }

        // The receiver: one message per poll, so each is timed as soon as librdkafka has it.
        let receiver = try LatencyReceiver(configuration: base, topic: output, partitions: partitions)
        receiver.start()
        // The broker's own floor in the same run: a plain consumer of the input topic, one hop.
        let oneHop = try LatencyReceiver(configuration: base, topic: input, partitions: partitions)
        oneHop.start()

        // The paced producer.
        var producerConfiguration = base
        producerConfiguration.linger = .zero
        producerConfiguration.enableIdempotence = true
        let sender = try LatencySender(configuration: producerConfiguration, topic: input)

        // Warm-up: a record every 50 ms until the first output comes back (the group join takes seconds).
        let warmUpDeadline = ContinuousClock.now + .seconds(60)
        FileHandle.standardError.write(Data("latency: waiting for the pipeline to join its group\n".utf8))
        while receiver.received == 0 {
            guard ContinuousClock.now < warmUpDeadline else {
                throw BenchError("no output within 60 s: the pipeline did not start")
            }
            try sender.send(count: 1)
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(500))
        let measuredFrom = Machine.wallMicroseconds()
        receiver.count(from: measuredFrom)
        oneHop.count(from: measuredFrom)
        inputHop.count(from: measuredFrom)

        // Measured phase: send whatever is due every 200 µs.
        let total = rate * seconds
        let progress = Progress("latency", total: total)
        let drawing = progress.start()
        let started = ContinuousClock.now
        var sent = 0
        while sent < total {
            let due = min(total, Int((ContinuousClock.now - started).seconds * Double(rate)))
            try sender.send(count: due - sent)
            sent = due
            progress.set(sent)
            try await Task.sleep(for: .microseconds(200))
        }
        let sendElapsed = ContinuousClock.now - started
        progress.finish()
        await drawing.value

        let drainDeadline = ContinuousClock.now + .seconds(30)
        while receiver.measuredCount < total, ContinuousClock.now < drainDeadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let samples = receiver.stop()
        let oneHopLatencies = oneHop.stop().map(\.latency).sorted()
        let latencies = samples.map(\.latency).sorted()
        pipeline.cancel()
        try await pipeline.value
        try await sender.producer.flush(timeout: .seconds(10))

        var report = Report(title: "streamkit-bench latency: end to end through decode → map → to(topic)")
        report.add("broker", brokers)
        report.add("topics", "\(input) → \(output) (\(partitions) partitions)")
        report.add(
            "rate", "\(Format.grouped(rate)) records/s for \(seconds) s (achieved \(Format.rate(sent, sendElapsed)))")
        report.add("pipeline linger.ms", pipelineLingerMs.map(String.init) ?? "librdkafka default")
        report.add("checkpoint interval", "\(checkpointMs) ms")
        report.add("received", "\(Format.grouped(latencies.count)) of \(Format.grouped(total))")
        guard !latencies.isEmpty else { throw BenchError("latency: no output record arrived in the measured phase") }
        func percentile(_ p: Double) -> Int {
            latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        report.add("p50", Format.milliseconds(microseconds: percentile(0.50)))
        report.add("p90", Format.milliseconds(microseconds: percentile(0.90)))
        report.add("p99", Format.milliseconds(microseconds: percentile(0.99)))
        report.add("p99.9", Format.milliseconds(microseconds: percentile(0.999)))
        report.add("max", Format.milliseconds(microseconds: latencies.last!))
        report.add("max per second sent", Self.maximaPerSecond(samples, from: measuredFrom, seconds: seconds))
        let hops = inputHop.latencies.sorted()
        if !hops.isEmpty {
            func hop(_ p: Double) -> Int { hops[min(hops.count - 1, Int(Double(hops.count) * p))] }
            report.add(
                "send → processed (first hop)",
                "p50 \(Format.milliseconds(microseconds: hop(0.5))), "
                    + "p99 \(Format.milliseconds(microseconds: hop(0.99))), "
                    + "max \(Format.milliseconds(microseconds: hops.last!)) (ms resolution, +0–1 ms)")
        }
        func oneHopPercentile(_ p: Double) -> Int {
            oneHopLatencies.isEmpty
                ? 0 : oneHopLatencies[min(oneHopLatencies.count - 1, Int(Double(oneHopLatencies.count) * p))]
        }
        report.add(
            "plain consumer, one hop",
            "p50 \(Format.milliseconds(microseconds: oneHopPercentile(0.5))), "
                + "p99 \(Format.milliseconds(microseconds: oneHopPercentile(0.99))) "
                + "(send → a librdkafka consumer of the input topic)")
        report.add("target", "p99 < 5 ms: \(percentile(0.99) < 5_000 ? "met" : "NOT met")")
        report.add("peak memory", Format.bytes(Machine.peakMemoryBytes))
        report.print()
        try resultsFile.emit([
            BenchResult(
                section: .latency, figure: "decode → map → to(topic) at \(Format.grouped(rate)) records/s",
                recordsPerSecond: Format.perSecond(sent, sendElapsed),
                p50Milliseconds: Double(percentile(0.5)) / 1_000, p99Milliseconds: Double(percentile(0.99)) / 1_000,
                peakMemoryBytes: Machine.peakMemoryBytes, target: "p99 < 5 ms", isTargetMet: percentile(0.99) < 5_000,
                note: "\(Format.grouped(latencies.count)) of \(Format.grouped(total)) records over \(seconds) s; "
                    + "p99.9 \(Format.milliseconds(microseconds: percentile(0.999))), "
                    + "max \(Format.milliseconds(microseconds: latencies.last!))"),
            BenchResult(
                section: .latency, figure: "plain librdkafka consumer of the input topic, one hop (the floor)",
                p50Milliseconds: Double(oneHopPercentile(0.5)) / 1_000,
                p99Milliseconds: Double(oneHopPercentile(0.99)) / 1_000,
                note: "\(Format.grouped(oneHopLatencies.count)) records, the same run; the pipeline's path has two "
                    + "such hops"),
        ])
    }

    /// The worst latency of the records sent in each second of the measurement, in ms: shows whether a tail comes
    /// from periodic stalls (checkpoints) or from a backlog that builds up.
    static func maximaPerSecond(_ samples: [LatencySample], from start: Int64, seconds: Int) -> String {
        var maxima = [Int](repeating: 0, count: seconds + 1)
        for sample in samples {
            let second = Int((sample.sentMicroseconds - start) / 1_000_000)
            if second >= 0, second < maxima.count { maxima[second] = max(maxima[second], sample.latency) }
        }
        return maxima.prefix(seconds).map { String(format: "%.1f", Double($0) / 1_000) }.joined(separator: " ")
    }
}

/// Times the first hop, from the send to the pipeline's processing of the record, from the tick's event time
/// (milliseconds, so a figure is 0–1 ms high): separates the input side from the output side of the latency.
///
/// `@unchecked Sendable`: only the runtime's single processing thread calls `record`; `latencies` is read
/// after the app has stopped, and `from` is atomic.
final class InputHopRecorder: @unchecked Sendable {
    private let from = Atomic<Int64>(.max)
    private(set) var latencies: [Int] = []

    func count(from microseconds: Int64) { from.store(microseconds, ordering: .relaxed) }

    func record(_ tick: Tick) {
        let sent = tick.tsEventMs * 1_000
        guard sent >= from.load(ordering: .relaxed) else { return }
        latencies.append(Int(Machine.wallMicroseconds() - sent))
    }
}

/// One measured record: when it was sent (wall-clock µs) and its end-to-end latency in µs.
struct LatencySample: Sendable {
    var sentMicroseconds: Int64
    var latency: Int
}

/// What the latency pipeline writes: a derived quote.
struct Quote: Codable, Sendable {
    var symbol: String
    var mid: Double
    var spread: Double
    var sequence: Int64
}

/// Consumes the output topic on a thread of its own and records receive − send in microseconds.
final class LatencyReceiver: Sendable {
    private let consumer: KafkaConsumer
    private let state = Mutex<(from: Int64, samples: [LatencySample], received: Int)>((.max, [], 0))
    private let running = Atomic<Bool>(true)
    private let finished = Mutex<Bool>(false)

    init(configuration: KafkaConfiguration, topic: String, partitions: Int) throws {
        consumer = try KafkaConsumer(configuration: configuration)
        try consumer.assign(
            Dictionary(
                uniqueKeysWithValues: (0..<partitions).map {
                    (KafkaTopicPartition(topic: topic, partition: $0), KafkaOffset.beginning)
                }))
    }

    /// Records received so far, warm-up included.
    var received: Int { state.withLock { $0.received } }
    /// Latencies recorded for records sent at or after `count(from:)`.
    var measuredCount: Int { state.withLock { $0.samples.count } }

    /// Counts only records sent at or after `microseconds`.
    func count(from microseconds: Int64) { state.withLock { $0.from = microseconds } }

    func start() {
        let thread = Thread { [self] in
            while running.load(ordering: .relaxed) {
                guard let batch = try? consumer.poll(maxMessages: 1, timeout: .milliseconds(50)) else { continue }
                let now = Machine.wallMicroseconds()
                batch.forEach { message in
                    var sent: Int64?
                    message.forEachHeader { name, value in
                        if name == LatencyBenchmark.sentHeader, let value, value.count == 8 {
                            sent = Int64(littleEndian: value.loadUnaligned(as: Int64.self))
                        }
                    }
                    state.withLock { state in
                        state.received += 1
                        if let sent, sent >= state.from {
                            state.samples.append(LatencySample(sentMicroseconds: sent, latency: Int(now - sent)))
                        }
                    }
                }
            }
            finished.withLock { $0 = true }
        }
        thread.start()
    }

    /// Stops the thread and returns the measured samples in arrival order.
    func stop() -> [LatencySample] {
        running.store(false, ordering: .relaxed)
        while !finished.withLock({ $0 }) { usleep(1_000) }
        return state.withLock { $0.samples }
    }
}

/// Sends ticks stamped with their send time (wall-clock µs) in a header.
final class LatencySender {
    let producer: KafkaProducer
    private let topic: String
    private var feed = TickFeed(keys: 5)
    private let serde = Serde<Tick>.json

    init(configuration: KafkaConfiguration, topic: String) throws {
        producer = try KafkaProducer(configuration: configuration)
        self.topic = topic
    }

    func send(count: Int) throws {
        for _ in 0..<max(count, 0) {
            let sent = Machine.wallMicroseconds()
            let (tick, symbol) = feed.next(nowMs: sent / 1_000)
            let stamp = withUnsafeBytes(of: sent.littleEndian) { Array($0) }
            try producer.enqueue(
                KafkaProducerMessage(
                    topic: topic, key: feed.symbolKeys[symbol], value: try serde.encode(tick),
                    headers: [KafkaHeader(name: LatencyBenchmark.sentHeader, value: stamp)], timestampMs: sent / 1_000))
        }
    }
}
