// A sensor pipeline written from the README alone, as top-level code: readings on 3 partitions of the embedded
// Kafka cluster → event time → keyBy site → 1-minute counts per site with no grace, checked against counts
// computed here by hand. Exits non-zero when they differ.
import Foundation  // exit
import StreamKit
import StreamKitKafka

struct Reading: Codable, Sendable {
    var sensor: String
    var site: String
    var celsius: Double
    var tsMs: Int64
}

let broker = KafkaBroker(.embedded)
let app = try StreamApp(name: "library-user", broker: broker)
let readings = app.topic(
    "readings", key: String.self, value: Reading.self, format: .json, partitions: 3,
    configs: ["retention.ms": "-1"])
let counts = app.topic(
    "site-counts", key: String.self, value: WindowResult<String, Int>.self, format: .json,
    configs: ["retention.ms": "-1"])
app.dataframe(readings)
    .eventTime(\.tsMs)
    .keyBy(name: "site") { $0.site }
    .tumblingWindow(.seconds(60), grace: .zero, name: "per-site")
    .count()
    .final()
    .to(counts)

// Six sensors on three sites, a reading every 15 s for 10 minutes of 2025-01-01.
let start: Int64 = 1_735_689_600_000
var expected: [String: Int] = [:]
let producer = try await broker.producer(for: readings)
for step in 0..<40 {
    for sensor in 0..<6 {
        let reading = Reading(
            sensor: "sensor-\(sensor)", site: "site-\(sensor % 3)", celsius: 20, tsMs: start + Int64(step) * 15_000)
        try await producer.send(key: reading.sensor, value: reading, timestamp: EventTime(milliseconds: reading.tsMs))
        expected["\(reading.site) \(reading.tsMs / 60_000 * 60_000)", default: 0] += 1
    }
}
try await producer.close()

try await app.run(mode: .backtest)

var seen: [String: Int] = [:]
for record in try await broker.records(in: counts) {
    seen["\(record.value.key) \(record.value.start.milliseconds)"] = record.value.value
}
guard seen == expected else {
    print(
        "library-user: windows differ from the reference\n  expected \(expected.sorted { $0.key < $1.key })\n  got      \(seen.sorted { $0.key < $1.key })"
    )
    exit(1)
}

// The zero-copy read from top-level (main-actor) code: the closure runs on the main actor, where `inputCount` lives.
var inputCount = 0
for partition in 0..<3 {
    try await broker.readToEnd(TopicPartition(topic: readings.name, partition: partition)) { _ in inputCount += 1 }
}
guard inputCount == 240 else {
    print("library-user: read \(inputCount) input records back, expected 240 (40 steps × 6 sensors)")
    exit(1)
}
print("library-user: \(seen.count) windows equal the reference")
