import StreamKit

/// A StreamKit producer on Kafka: enqueues records into librdkafka's batching queue and, when made with a
/// transactional id, writes them in transactions together with the consumer's offsets.
final class KafkaBrokerProducer: BrokerProducer {
    private let producer: KafkaProducer
    private let flushTimeout: Duration

    /// Makes the producer; a transactional one registers its id (fencing older producers with it) before use.
    init(configuration: KafkaConfiguration, flushTimeout: Duration) async throws(KafkaError) {
        producer = try KafkaProducer(configuration: configuration)
        self.flushTimeout = flushTimeout
        if configuration.transactionalID != nil { try await producer.initTransactions() }
    }

    func send(_ record: RawRecord) throws {
        try producer.enqueue(
            KafkaProducerMessage(
                topic: record.topic, partition: record.partition, key: record.key, value: record.value,
                headers: record.headers.map { KafkaHeader(name: $0.name, value: $0.value) },
                timestampMs: record.timestamp.milliseconds))
    }

    func flush() async throws {
        try await producer.flush(timeout: flushTimeout)
    }

    func beginTransaction() async throws {
        try producer.beginTransaction()
    }

    func commitTransaction(offsets: [TopicPartition: Int64], consumer: any BrokerConsumer) async throws {
        guard let consumer = consumer as? KafkaBrokerConsumer else {
            throw KafkaError(
                code: .invalidArgument, reason: "the consumer of a Kafka transaction must be a Kafka consumer")
        }
        if !offsets.isEmpty {
            try await producer.sendOffsetsToTransaction(
                KafkaBrokerConsumer.kafka(offsets), groupMetadata: try consumer.consumer.groupMetadata())
        }
        try await producer.commitTransaction()
    }

    func abortTransaction() async throws {
        try await producer.abortTransaction()
    }

    func close() async throws {
        try await flush()
    }
}
