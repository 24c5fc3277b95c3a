import Logging
import StreamKit

/// A StreamKit producer on Kafka: enqueues records into librdkafka's batching queue and, when made with a
/// transactional id, writes them in transactions together with the consumer's offsets.
final class KafkaBrokerProducer: BrokerProducer {
    private let producer: KafkaProducer
    private let flushTimeout: Duration
    private let transactionalID: String?

    /// Makes the producer; a transactional one registers its id (fencing older producers with it) before use.
    init(configuration: KafkaConfiguration, flushTimeout: Duration, logger: Logger) async throws(KafkaError) {
        producer = try KafkaProducer(configuration: configuration, logger: logger)
        self.flushTimeout = flushTimeout
        transactionalID = configuration.transactionalID
        if configuration.transactionalID != nil { try await producer.initTransactions() }
    }

    func send(_ record: RawRecord) throws {
        do {
            try enqueue(record)
        } catch {
            throw translated(error)
        }
    }

    private func enqueue(_ record: RawRecord) throws(KafkaError) {
        try producer.enqueue(
            KafkaProducerMessage(
                topic: record.topic, partition: record.partition, key: record.key, value: record.value,
                headers: record.headers.map { KafkaHeader(name: $0.name, value: $0.value) },
                timestampMs: record.timestamp.milliseconds))
    }

    func flush() async throws {
        do {
            try await producer.flush(timeout: flushTimeout)
        } catch {
            throw translated(error)
        }
    }

    func beginTransaction() async throws {
        try producer.beginTransaction()
    }

    /// Commits the transaction with the consumer's offsets and its group metadata (generation and member), so a
    /// member that the group has replaced cannot commit (KIP-447 fencing).
    ///
    /// - Throws: `StreamAppError.transactionAborted` when the transaction must be aborted (the group moved on,
    ///   the coordinator aborted it); `StreamAppError.configuration` when another producer with the same
    ///   transactional id fenced this one, which means two running instances share an instance id.
    func commitTransaction(offsets: [TopicPartition: Int64], consumer: any BrokerConsumer) async throws {
        guard let consumer = consumer as? KafkaBrokerConsumer else {
            throw KafkaError(
                code: .invalidArgument, reason: "the consumer of a Kafka transaction must be a Kafka consumer")
        }
        do {
            if !offsets.isEmpty {
                try await producer.sendOffsetsToTransaction(
                    KafkaBrokerConsumer.kafka(offsets), groupMetadata: try consumer.consumer.groupMetadata())
            }
            var attempt = 1
            while true {
                do {
                    return try await producer.commitTransaction()
                } catch  where error.isRetriable && attempt < 5 {
                    attempt += 1
                }
            }
        } catch {
            throw translated(error)
        }
    }

    /// The core's view of a transaction failure: abort-and-redo, a shared transactional id, or the error as is.
    /// A fenced producer fails its later calls with other codes (purged queues, say); its fatal error tells.
    private func translated(_ failure: KafkaError) -> any Error {
        let error = producer.fatalError ?? failure
        if transactionalID != nil,
            [.fenced, .invalidProducerEpoch, .producerFenced].contains(error.code)
                || (error.isFatal && error.reason.contains("fenced by a newer instance"))
        {
            return StreamAppError(
                .configuration,
                "the transactional producer '\(transactionalID ?? "")' was fenced by a newer producer with the same "
                    + "transactional id: two running instances of the app share an instance id; give each instance "
                    + "its own (StreamApp(instanceID:), --instance-id) (\(error))")
        }
        if error.requiresAbort
            || [.illegalGeneration, .unknownMemberID, .rebalanceInProgress, .fencedInstanceID]
                .contains(error.code)
        {
            return StreamAppError(.transactionAborted, "the transaction must be aborted: \(error)")
        }
        return error
    }

    func abortTransaction() async throws {
        try await producer.abortTransaction()
    }

    func close() async throws {
        try await flush()
    }
}
