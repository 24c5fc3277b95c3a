import Foundation
import StreamKitKafka
import StreamKitTestSupport
import Testing

/// Helpers for the event examples' tests on the separate broker: creating topics, producing hand-made
/// events, and reading JSON values back.
enum EventTopics {
    /// Creates `names` with `partitions` partitions each (existing ones are left as they are).
    static func create(_ names: [String], partitions: Int = 3) async throws {
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: TestEnvironment.kafkaBrokers!))
        try await admin.createTopics(
            names.map { KafkaTopicSpecification(name: $0, partitions: partitions, replicationFactor: -1) },
            ifNotExists: true)
    }

    /// The number of partitions of `topic`, as the cluster describes it.
    static func partitionCount(_ topic: String) async throws -> Int? {
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: TestEnvironment.kafkaBrokers!))
        return try await admin.describeTopic(topic)?.partitions.count
    }

    /// Produces each `(topic, key, value)` with the current time as record timestamp, and waits for delivery.
    static func produce(_ records: [(topic: String, key: String, value: String)]) async throws {
        let producer = try KafkaProducer(
            configuration: KafkaConfiguration(bootstrapServers: TestEnvironment.kafkaBrokers!))
        for record in records {
            _ = try await producer.send(KafkaProducerMessage(topic: record.topic, key: record.key, value: record.value))
        }
        try await producer.flush(timeout: .seconds(30))
    }

    /// The value of `message` as a JSON object.
    static func object(_ message: KafkaMessage) throws -> [String: Any] {
        let value = try #require(message.value, "a record without a value on \(message.topic)")
        return try #require(try JSONSerialization.jsonObject(with: Data(value)) as? [String: Any])
    }

    /// The key of `message` as text.
    static func key(_ message: KafkaMessage) -> String? {
        message.key.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The text of header `name` of `message`.
    static func header(_ name: String, of message: KafkaMessage) -> String? {
        message.headers.first { $0.name == name }?.value.map { String(decoding: $0, as: UTF8.self) }
    }
}
