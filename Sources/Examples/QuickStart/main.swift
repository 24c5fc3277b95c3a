// A whole StreamKit pipeline in one file: copy it into a package of your own (README, "Use StreamKit in your
// package") and `swift run`. It feeds sensor readings into a topic, averages them per sensor and minute of event
// time, prints the windows and stops. KAFKA_BROKERS=host:9092 runs it on that cluster instead of an in-process one.
import Foundation
import StreamKit
import StreamKitKafka

struct Reading: Codable, Sendable {
    var sensor: String
    var celsius: Double
    var tsMs: Int64  // "ts_ms" on the wire: JSON keys are snake_case
}

if CommandLine.arguments.dropFirst().contains(where: { $0 == "--help" || $0 == "-h" }) {
    print("USAGE: quick-start\n\nAverages 3 sensors' readings per minute on Kafka (KAFKA_BROKERS, else in-process).")
    exit(0)
}

let broker = KafkaBroker(.fromEnvironment(default: .embedded))
let app = try StreamApp(name: "quick-start", broker: broker)
let readings = app.topic("quick-start.readings", key: String.self, value: Reading.self, format: .json, partitions: 3)
let means = app.topic("quick-start.means", key: String.self, value: WindowResult<String, Double>.self, format: .json)

app.dataframe(readings)
    .eventTime(\.tsMs)  // windows go by the time in the payload, not by when a record arrives
    .validate(
        { (-50...150).contains($0.celsius) ? nil : "\($0.celsius) °C is out of range" },
        otherwise: .deadLetter("quick-start.invalid")
    )
    .tumblingWindow(.seconds(60))  // one window per sensor (the record key) and minute
    .mean(\.celsius)
    .final()  // once per window, when it closes
    .to(means)

// The input: 3 sensors, a reading every 10 s for two minutes from 2025-01-01 00:00 UTC, plus one bad reading.
let start: Int64 = 1_735_689_600_000
let producer = try await broker.producer(for: readings)
for step in 0..<12 {
    for sensor in 0..<3 {
        let reading = Reading(
            sensor: "sensor-\(sensor)", celsius: Double(20 + sensor + step % 6), tsMs: start + Int64(step) * 10_000)
        try await producer.send(key: reading.sensor, value: reading, timestamp: EventTime(milliseconds: reading.tsMs))
    }
}
try await producer.send(
    key: "sensor-0", value: Reading(sensor: "sensor-0", celsius: 900, tsMs: start),
    timestamp: EventTime(milliseconds: start))
try await producer.close()

// Read what is there now, close every window at the end, and return.
try await app.run(mode: .backtest)

for record in try await broker.records(in: means) {
    let minute = (record.value.start.milliseconds - start) / 60_000
    print("\(record.value.key) minute \(minute): mean \(record.value.value) °C")
}
