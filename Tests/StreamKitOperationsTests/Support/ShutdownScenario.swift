import Logging
import StreamKit
import StreamKitOperations
import StreamKitTestSupport
import Testing

/// An event of the shutdown scenario: a key, a sequence number, an event time.
struct Event: Codable, Hashable, Sendable {
    var key: String
    var n: Int
    var tsMs: Int64
}

/// Shutting an app down gracefully mid-stream and starting it again: what both runs committed together must be
/// every input exactly once, and every window exactly once with the right count.
///
/// The pipeline hands every event's number to a sink as it is processed, and counts events per key in 1 s
/// tumbling windows into a second sink. `CollectingSink.flushedValues` is what was flushed at checkpoints, that
/// is, what the app committed.
struct ShutdownScenario {
    /// 3 000 events, 7 keys, 10 ms apart: 30 s of event time.
    static let events = (0..<3_000).map { Event(key: "k\($0 % 7)", n: $0, tsMs: Int64($0) * 10) }

    let app: StreamApp
    let seen = CollectingSink<Int>()
    let windows = CollectingSink<WindowResult<String, Int>>()

    init(name: String, input: String, broker: some StreamBroker) throws {
        app = try StreamApp(
            name: name, broker: broker, checkpoint: CheckpointPolicy(records: 250, interval: .milliseconds(100)))
        let events = app.dataframe(
            app.topic(input, key: String.self, value: Event.self, format: .json, partitions: 2))
        events.map(\.n).to(seen)
        events.eventTime(\.tsMs).tumblingWindow(.seconds(1), name: "per-second").count().final().to(windows)
    }

    /// Events per "key@window start", counted directly from the events.
    static var expectedWindows: [String: Int] {
        var counts: [String: Int] = [:]
        for event in events { counts["\(event.key)@\(event.tsMs / 1_000 * 1_000)", default: 0] += 1 }
        return counts
    }

    /// Runs the scenario: the first instance runs in a `StreamKitRunner` group while the first 2 000 events
    /// arrive and is shut down gracefully once it has processed 1 000; the rest arrive; a second instance
    /// processes what is left (a backtest, which closes the last windows) and the outputs are compared.
    static func run(
        name: String, input: String, broker: some StreamBroker, idle: Duration,
        produce: @escaping @Sendable ([Event]) async throws -> Void
    ) async throws {
        let first = try ShutdownScenario(name: name, input: input, broker: broker)
        let group = StreamKitRunner.serviceGroup(first.app, logger: Logger(label: "shutdown-test"))
        let run = Task { try await group.run() }
        let feeder = Task {
            for start in stride(from: 0, to: 2_000, by: 50) {
                try await produce(Array(events[start..<start + 50]))
                try await Task.sleep(for: .milliseconds(2))
            }
        }
        let seen = first.seen
        try await waitUntil("1 000 events processed") { seen.values.count >= 1_000 }
        await group.triggerGracefulShutdown()
        try await run.value
        try await feeder.value

        // Graceful: everything the first instance processed was flushed with its checkpoint.
        #expect(first.app.status.snapshot.phase == .stopped)
        #expect(first.seen.values.count == first.seen.flushedValues.count)
        #expect(first.seen.flushedValues.count >= 1_000)

        try await produce(Array(events[2_000...]))
        let second = try ShutdownScenario(name: name, input: input, broker: broker)
        try await second.app.run(mode: .untilIdle(idle))

        // Nothing lost, nothing twice.
        let processed = first.seen.flushedValues + second.seen.flushedValues
        let timesProcessed = Dictionary(processed.map { ($0, 1) }, uniquingKeysWith: +)
        #expect(timesProcessed.filter { $0.value > 1 }.keys.sorted() == [])
        #expect(Set(0..<events.count).subtracting(timesProcessed.keys).sorted() == [])
        #expect(processed.count == events.count)
        let windows = first.windows.flushedValues + second.windows.flushedValues
        let counted = Dictionary(windows.map { ("\($0.key)@\($0.start.milliseconds)", $0.value) }) { $0 + $1 }
        #expect(windows.count == counted.count)  // each window once
        #expect(counted == expectedWindows)
    }
}
