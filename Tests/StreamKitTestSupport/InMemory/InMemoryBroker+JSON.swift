import StreamKit

extension InMemoryBroker {
    /// Appends `value` as JSON under `key` to `topic`, at event time `ms`.
    package func appendJSON<Value: Codable & Sendable>(
        _ value: Value, key: String, to topic: String, at ms: Int64 = 0
    ) throws {
        append(
            RawRecord(
                topic: topic, key: Array(key.utf8), value: try Serde<Value>.json.encode(value),
                timestamp: .init(milliseconds: ms)))
    }
}
