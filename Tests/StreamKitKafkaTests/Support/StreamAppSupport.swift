import StreamKit
import StreamKitKafka
import StreamKitTestSupport
import Synchronization

/// Count and sum of mids in a window.
struct CountSum: Codable, Hashable, Sendable {
    var count = 0
    var sum = 0.0

    mutating func add(_ tick: Tick) {
        count += 1
        sum += tick.mid
    }
}

/// One expected window: key, start in ms, count and sum.
struct ExpectedWindow: Hashable, Comparable, CustomStringConvertible {
    var key: String
    var startMs: Int64
    var count: Int
    var sum: Double

    init(key: String, startMs: Int64, count: Int, sum: Double) {
        self.key = key
        self.startMs = startMs
        self.count = count
        self.sum = sum
    }

    init(_ result: WindowResult<String, CountSum>) {
        self.init(key: result.key, startMs: result.start.milliseconds, count: result.value.count, sum: result.value.sum)
    }

    static func < (lhs: Self, rhs: Self) -> Bool { (lhs.key, lhs.startMs) < (rhs.key, rhs.startMs) }

    var description: String { "\(key)@\(startMs): \(count)/\(sum)" }

    /// The naive reference: group ticks by key and `floor(ts / size)`, count them and add their mids.
    static func reference(_ ticks: [Tick], sizeMs: Int64) -> [ExpectedWindow] {
        var windows: [String: ExpectedWindow] = [:]
        for tick in ticks {
            let start = (tick.tsEventMs / sizeMs) * sizeMs  // all test timestamps are ≥ 0
            let id = "\(tick.symbol)@\(start)"
            var window = windows[id] ?? ExpectedWindow(key: tick.symbol, startMs: start, count: 0, sum: 0)
            window.count += 1
            window.sum += tick.mid
            windows[id] = window
        }
        return windows.values.sorted()
    }
}

/// Running StreamKit apps on a `KafkaBroker` from the tests: producing input, reading output, waiting.
enum StreamAppSupport {
    /// Produces ticks keyed by symbol with their event time as the record timestamp, and waits for delivery.
    static func produce(_ ticks: [Tick], to topic: String, on broker: KafkaBroker) async throws {
        let producer = try KafkaProducer(configuration: broker.configuration)
        for tick in ticks {
            try producer.enqueue(
                KafkaProducerMessage(
                    topic: topic, key: Array(tick.symbol.utf8), value: try Serde<Tick>.json.encode(tick),
                    timestampMs: tick.tsEventMs))
        }
        try await producer.flush(timeout: .seconds(10))
    }

    /// Produces raw values (for malformed input) to partition 0.
    static func produceRaw(_ values: [String], to topic: String, on broker: KafkaBroker) async throws {
        let producer = try KafkaProducer(configuration: broker.configuration)
        for value in values {
            try producer.enqueue(
                KafkaProducerMessage(topic: topic, partition: 0, key: "k", value: value, timestampMs: 1))
        }
        try await producer.flush(timeout: .seconds(10))
    }

    /// Every record of the topic's partitions, read from the beginning by a consumer of its own, waiting up to
    /// `limit` for `atLeast` records and then `settle` for any extra (so duplicates would show).
    static func readAll(
        _ topic: String, partitions: Int = 1, on broker: KafkaBroker, atLeast: Int, readCommitted: Bool = false,
        settle: Duration = .milliseconds(500)
    ) async throws -> [KafkaMessage] {
        var configuration = try broker.configuration
        configuration.isolationLevel = readCommitted ? .readCommitted : .readUncommitted
        let consumer = try KafkaConsumer(configuration: configuration)
        var offsets: [KafkaTopicPartition: KafkaOffset] = [:]
        for partition in 0..<partitions {
            offsets[KafkaTopicPartition(topic: topic, partition: partition)] = .beginning
        }
        try consumer.assign(offsets)
        let messages = try await KafkaTestSupport.consume(consumer, count: atLeast)
        let extra = try await KafkaTestSupport.consume(consumer, for: settle)
        try await consumer.close()
        return messages + extra
    }

    /// The window results of an output topic, decoded.
    static func windows(in topic: String, on broker: KafkaBroker, atLeast: Int) async throws -> [ExpectedWindow] {
        try await readAll(topic, on: broker, atLeast: atLeast).map {
            ExpectedWindow(try Serde<WindowResult<String, CountSum>>.json.decode($0.value ?? []))
        }.sorted()
    }

    /// The group's committed next offsets summed over the partitions, asked without joining the group.
    static func committedCount(group: String, topic: String, partitions: Int, on broker: KafkaBroker) async throws
        -> Int64
    {
        try await KafkaTestSupport.committedOffsets(group: group, topic: topic, partitions: partitions, on: broker)
            .values.reduce(0, +)
    }
}

/// The symbols an app instance has processed, to tell which instance owns which partition, and how many records.
final class SeenKeys: Sendable {
    private let keys = Mutex<(all: Set<String>, count: Int)>(([], 0))
    func insert(_ key: String) {
        keys.withLock {
            $0.all.insert(key)
            $0.count += 1
        }
    }
    var all: Set<String> { keys.withLock { $0.all } }
    var count: Int { keys.withLock { $0.count } }
}
