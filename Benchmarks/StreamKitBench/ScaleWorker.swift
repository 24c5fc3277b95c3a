import ArgumentParser
import Foundation
import StreamKit
import StreamKitKafka

/// `streamkit-bench scale-worker`: one instance of the market pipeline for `scale`, run as its own process.
///
/// Writes `progress <records>` lines while it runs and one `result <json>` line (a ``ScaleWorkerResult``) at the
/// end, on stdout; `scale` reads them.
struct ScaleWorker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale-worker",
        abstract: "One market-pipeline instance in a consumer group (started by `scale`).",
        shouldDisplay: false)

    @OptionGroup var broker: BrokerOptions

    @Option(name: .long, help: "The input topic.")
    var topic: String

    @Option(name: .long, help: "Partitions of the input topic.")
    var partitions: Int

    @Option(name: .long, help: "The application id: the consumer group all instances share.")
    var app: String

    @Option(name: .long, help: "Seconds without records after which the instance stops.")
    var idleSeconds = 10

    func run() async throws {
        let brokers = try broker.resolved()
        let streamApp = try StreamApp(name: app, broker: .kafka(KafkaBenchmark.consumerConfiguration(brokers)))
        let timeline = WorkerTimeline()
        MarketPipeline.define(
            on: streamApp, topic: topic, partitions: partitions, onRecord: timeline.tick, onBar: {})
        try await streamApp.run(mode: .untilIdle(.seconds(idleSeconds)))
        let encoded = try JSONEncoder().encode(timeline.result)
        FileHandle.standardOutput.write(Data("result ".utf8) + encoded + Data("\n".utf8))
    }
}

/// What one instance measured: its records, when it processed its first and last, and samples in between.
struct ScaleWorkerResult: Codable, Sendable {
    var count = 0
    var firstMicroseconds: Int64 = 0
    var lastMicroseconds: Int64 = 0
    /// Process CPU time per record between the first record and the last sample.
    var cpuNanosecondsPerRecord: Double = 0
    var peakMemoryBytes = 0
    /// (wall-clock µs, records so far), every ``WorkerTimeline/sampleEvery`` records.
    var samples: [[Int64]] = []

    /// Records processed by `time` (wall-clock µs), from the samples.
    func count(at time: Int64) -> Int64 {
        if time >= lastMicroseconds { return Int64(count) }
        return samples.last { $0[0] <= time }?[1] ?? 0
    }
}

/// Records an instance's timeline on the runtime's processing thread, which alone calls `tick`.
final class WorkerTimeline: @unchecked Sendable {
    static let sampleEvery = 4_096
    private var figures = ScaleWorkerResult()
    private var firstCPU = Duration.zero
    private var lastCPU = Duration.zero
    private var lastCPUCount = 1

    func tick() {
        figures.count += 1
        let now = Machine.wallMicroseconds()
        if figures.count == 1 {
            figures.firstMicroseconds = now
            firstCPU = Machine.cpuTime
        }
        figures.lastMicroseconds = now
        if figures.count % Self.sampleEvery == 0 {
            figures.samples.append([now, Int64(figures.count)])
            lastCPU = Machine.cpuTime
            lastCPUCount = figures.count
            if figures.count % (Self.sampleEvery * 16) == 0 {
                FileHandle.standardOutput.write(Data("progress \(figures.count)\n".utf8))
            }
        }
    }

    /// The figures, read after the app has stopped.
    var result: ScaleWorkerResult {
        var result = figures
        result.cpuNanosecondsPerRecord = BenchResult.cpuNanoseconds(lastCPU - firstCPU, per: lastCPUCount - 1)
        result.peakMemoryBytes = Machine.peakMemoryBytes
        return result
    }
}
