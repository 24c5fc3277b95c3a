import ArgumentParser
import Foundation
import StreamKitKafka
import Synchronization

/// `streamkit-bench scale`: the market pipeline as 1, 2, … separate processes in one consumer group.
struct ScaleBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Aggregate records/s of 1, 2, … market-pipeline processes in one consumer group.",
        discussion: """
            Produces N ticks to a fresh topic with --partitions partitions once; then, for each count in \
            --instances, starts that many `streamkit-bench scale-worker` processes with one application id \
            (one consumer group, a fresh one per count), waits until they stop (--idle-seconds without \
            records), and reports: whole run = records / (last record processed by any instance − first \
            by any), rebalances included; all running = records processed while every instance was \
            processing, over that interval; CPU per record; the largest instance's peak memory.
            """)

    @OptionGroup var broker: BrokerOptions

    @Option(name: .long, help: "Ticks to produce.")
    var records = 1_000_000

    @Option(name: .long, help: "Partitions of the input topic.")
    var partitions = 6

    @Option(name: .long, help: "Distinct symbols (keys); enough to spread over the partitions.")
    var keys = 100

    @Option(name: .long, help: "Instance counts to run, comma separated.")
    var instances = "1,2"

    @Option(name: .long, help: "Seconds without records after which an instance stops.")
    var idleSeconds = 10

    @OptionGroup var resultsFile: ResultOptions

    func validate() throws {
        guard records > 0, partitions > 0, keys > 0, idleSeconds > 0 else {
            throw ValidationError("--records, --partitions, --keys and --idle-seconds must be positive")
        }
        guard !instanceCounts.isEmpty, instanceCounts.allSatisfy({ (1...partitions).contains($0) }) else {
            throw ValidationError("--instances must list counts from 1 to --partitions, e.g. 1,2")
        }
    }

    private var instanceCounts: [Int] { instances.split(separator: ",").compactMap { Int($0) } }

    func run() async throws {
        let brokers = try broker.resolved()
        let runID = Machine.wallMilliseconds()
        let topic = "streamkit-bench.scale.\(runID)"
        let base = KafkaBenchmark.consumerConfiguration(brokers)
        try await KafkaAdmin(configuration: base).createTopics([
            KafkaTopicSpecification(name: topic, partitions: partitions)
        ])
        _ = try await KafkaBenchmark.produce(records: records, keys: keys, topic: topic, base: base)

        var report = Report(title: "streamkit-bench scale: market pipeline instances in one consumer group")
        report.add("topic", "\(topic) (\(partitions) partitions, \(keys) keys, \(Format.grouped(records)) records)")
        var figures: [BenchResult] = []
        var single: Double?
        for count in instanceCounts {
            let run = ScaleRun(
                workers: try await runWorkers(
                    count, brokers: brokers, topic: topic, app: "streamkit-bench-scale-\(runID)-\(count)"))
            guard run.processed >= records else {
                throw BenchError("\(count) instance(s) processed \(run.processed) of \(records) records")
            }
            let whole = Format.perSecond(records, run.wholeRun)
            let baseline = single ?? whole
            single = baseline
            let label = count == 1 ? "1 instance" : "\(count) instances"
            let summary =
                "×\(String(format: "%.2f", whole / baseline)) of 1 instance; all running "
                + "\(run.allRunningRate.map { Format.grouped(Int($0)) } ?? "–") records/s; "
                + "\(Format.grouped(run.processed)) records processed for \(Format.grouped(records)) produced"
            report.add(label, "whole run \(Format.grouped(Int(whole))) records/s; \(summary)")
            figures.append(
                BenchResult(
                    section: .instances, figure: label, recordsPerSecond: whole,
                    cpuNanosecondsPerRecord: run.cpuNanosecondsPerRecord, peakMemoryBytes: run.peakMemoryBytes,
                    note: summary))
        }
        report.add("machine load", "instances, broker and this process share \(Machine.cores) cores")
        report.print()
        try resultsFile.emit(figures)
    }

    /// Starts `count` workers, shows their combined progress, and returns their results.
    private func runWorkers(
        _ count: Int, brokers: String, topic: String, app: String
    ) async throws -> [ScaleWorkerResult] {
        let progress = Progress("\(count) instance(s)", total: records)
        let counts = Mutex([Int](repeating: 0, count: count))
        let drawing = progress.start()
        defer { progress.finish() }
        let results = try await startWorkers(count, brokers: brokers, topic: topic, app: app) { index, done in
            progress.set(
                counts.withLock { counts in
                    counts[index] = done
                    return counts.reduce(0, +)
                })
        }
        progress.set(results.map(\.count).reduce(0, +))
        progress.finish()
        await drawing.value
        return results
    }

    /// Runs the workers to their end; `onProgress(index, records)` reports one worker's progress.
    private func startWorkers(
        _ count: Int, brokers: String, topic: String, app: String,
        onProgress: @escaping @Sendable (Int, Int) -> Void
    ) async throws -> [ScaleWorkerResult] {
        let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        return try await withThrowingTaskGroup(of: ScaleWorkerResult.self) { group in
            for index in 0..<count {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = [
                    "scale-worker", "--brokers", brokers, "--topic", topic, "--partitions", String(partitions),
                    "--app", app, "--idle-seconds", String(idleSeconds),
                ]
                let pipe = Pipe()
                process.standardOutput = pipe
                try process.run()
                group.addTask { try await Self.collect(process, pipe, index: index, of: count, onProgress: onProgress) }
            }
            var results: [ScaleWorkerResult] = []
            for try await result in group { results.append(result) }
            return results
        }
    }
}

extension ScaleBenchmark {
    /// Reads a worker's output to its end and waits for it, on a thread of its own: blocking reads must not
    /// hold one of the few threads of Swift's cooperative pool.
    fileprivate static func collect(
        _ process: Process, _ pipe: Pipe, index: Int, of count: Int,
        onProgress: @escaping @Sendable (Int, Int) -> Void
    ) async throws -> ScaleWorkerResult {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                var result: ScaleWorkerResult?
                var failure: (any Error)?
                var pending = Data()
                while case let chunk = pipe.fileHandleForReading.availableData, !chunk.isEmpty {
                    pending.append(chunk)
                    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = String(decoding: pending[..<newline], as: UTF8.self)
                        pending.removeSubrange(...newline)
                        if line.hasPrefix("progress "), let done = Int(line.dropFirst("progress ".count)) {
                            onProgress(index, done)
                        } else if line.hasPrefix("result ") {
                            do {
                                result = try JSONDecoder().decode(
                                    ScaleWorkerResult.self, from: Data(line.dropFirst("result ".count).utf8))
                            } catch { failure = error }
                        }
                    }
                }
                process.waitUntilExit()
                if let result, process.terminationStatus == 0 {
                    continuation.resume(returning: result)
                } else {
                    continuation.resume(
                        throwing: BenchError(
                            "scale-worker \(index + 1) of \(count) failed (exit \(process.terminationStatus))"
                                + (failure.map { ": \($0)" } ?? "")))
                }
            }
            thread.start()
        }
    }
}

/// The combined figures of one run of several instances.
struct ScaleRun {
    let workers: [ScaleWorkerResult]

    /// Records processed by all instances; more than were produced when a rebalance re-delivered some.
    var processed: Int { workers.map(\.count).reduce(0, +) }

    private var active: [ScaleWorkerResult] { workers.filter { $0.count > 0 } }

    /// From the first record processed by any instance to the last processed by any.
    var wholeRun: Duration {
        let first = active.map(\.firstMicroseconds).min() ?? 0
        let last = active.map(\.lastMicroseconds).max() ?? 0
        return .microseconds(last - first)
    }

    /// Records/s while every instance was processing: from the latest first record to the earliest last one.
    /// `nil` when an instance processed nothing or the instances never overlapped.
    var allRunningRate: Double? {
        guard active.count == workers.count, let from = workers.map(\.firstMicroseconds).max(),
            let to = workers.map(\.lastMicroseconds).min(), to > from
        else { return nil }
        let done = workers.map { $0.count(at: to) - $0.count(at: from) }.reduce(0, +)
        return Double(done) / (Double(to - from) / 1e6)
    }

    /// CPU per record over all instances, weighted by their records.
    var cpuNanosecondsPerRecord: Double {
        workers.map { $0.cpuNanosecondsPerRecord * Double($0.count) }.reduce(0, +) / Double(max(processed, 1))
    }

    /// The largest instance's peak memory.
    var peakMemoryBytes: Int { workers.map(\.peakMemoryBytes).max() ?? 0 }
}
