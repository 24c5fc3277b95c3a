import StreamKitKafka

/// Generated records for a producer: `enqueue(into:)` hands them to librdkafka until its queue is full, keeps the
/// one that did not fit, and goes on from there on the next call.
protocol ProducerSource {
    /// How many records to produce.
    var total: Int { get }
    /// How many were enqueued so far.
    var produced: Int { get set }
    /// The record that did not fit in the queue last time.
    var pending: KafkaProducerMessage? { get set }
    /// Makes the next record.
    mutating func next() throws -> KafkaProducerMessage
}

extension ProducerSource {
    /// Enqueues until the queue is full (returns `false`: wait and call again) or every record is sent (`true`).
    mutating func enqueue(into producer: KafkaProducer) throws -> Bool {
        while produced < total {
            let message = try pending ?? next()
            let result = Result { () throws(KafkaError) in try producer.enqueue(message) }
            if case .failure(let error) = result {
                guard error.code == .queueFull else { throw error }
                pending = message
                return false
            }
            pending = nil
            produced += 1
        }
        return true
    }
}
