internal import CRdKafka

/// Owns the `rd_kafka_message_t` pointers of one consumed batch; each is destroyed once, in `deinit`.
///
/// Error entries (a partition error, a transport problem) are copied into `errors` and destroyed at once, so
/// the remaining pointers are all records; partition-EOF events (sent with `enable.partition.eof`) only leave
/// their partition and offset in `endsOfPartition`. `@unchecked Sendable`: nothing changes after `init`, and the messages
/// are only read; librdkafka allows destroying them on any thread.
final class RdKafkaMessageArray: @unchecked Sendable {
    private let messages: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>
    let count: Int
    let errors: [KafkaError]
    /// Partitions whose end the consumer reached in this poll, with the end offset.
    let endsOfPartition: [KafkaTopicPartition: Int64]

    /// Blocks for up to `timeoutMs` until at least one message arrives, then returns it with whatever else is
    /// already queued, up to `maxMessages`.
    ///
    /// `rd_kafka_consume_batch_queue` alone would not do: in librdkafka 2.0.2 it returns only when the array is
    /// full or the timeout has passed, so at 10 k records/s a 4 096-record poll always sat out its whole timeout
    /// (50 ms for the runtime) with the records waiting in the queue. So the first message is awaited with
    /// `rd_kafka_consume_queue`, which returns as soon as one is there, and the rest are taken without waiting.
    /// Both serve the queue's callbacks (rebalance) the same way.
    init(consuming queue: RdKafkaQueue, maxMessages: Int, timeoutMs: Int32) throws(KafkaError) {
        precondition(maxMessages > 0, "maxMessages must be positive")
        let buffer = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: maxMessages)
        let received = queue.withQueue { queue -> Int in
            // NULL: the timeout passed (or a callback asked to yield) without a message.
            guard let first = rd_kafka_consume_queue(queue, timeoutMs) else { return 0 }
            buffer[0] = first
            guard maxMessages > 1 else { return 1 }
            // -1 only for a queue that cannot be consumed, which `first` has just shown this one is not.
            return 1 + max(0, rd_kafka_consume_batch_queue(queue, 0, buffer + 1, maxMessages - 1))
        }
        var kept = 0
        var errors: [KafkaError] = []
        var ends: [KafkaTopicPartition: Int64] = [:]
        for index in 0..<received {
            guard let message = buffer[index] else { continue }
            let err = message.pointee.err
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                buffer[kept] = message
                kept += 1
                continue
            }
            if err == RD_KAFKA_RESP_ERR__PARTITION_EOF, message.pointee.rkt != nil {
                let ref = RdKafkaMessageRef(message)
                ends[KafkaTopicPartition(topic: ref.topic, partition: ref.partition)] = ref.offset
            } else if err != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                let ref = RdKafkaMessageRef(message)
                let reason = message.pointee.payload.map { payload in
                    String(
                        decoding: UnsafeRawBufferPointer(start: payload, count: message.pointee.len), as: UTF8.self)
                }
                let topic = message.pointee.rkt == nil ? nil : ref.topic
                var error = RdKafkaErrors.error(err, reason: reason, topic: topic)!
                if message.pointee.rkt != nil { error.partition = ref.partition }
                errors.append(error)
            }
            rd_kafka_message_destroy(message)
        }
        messages = buffer
        count = kept
        self.errors = errors
        endsOfPartition = ends
    }

    deinit {
        for index in 0..<count { rd_kafka_message_destroy(messages[index]) }
        messages.deallocate()
    }

    func message(at index: Int) -> RdKafkaMessageRef {
        precondition(index >= 0 && index < count, "message index out of range")
        return RdKafkaMessageRef(messages[index]!)
    }
}

/// A borrowed consumed message; valid while the `RdKafkaMessageArray` that owns it is alive.
struct RdKafkaMessageRef {
    private let message: UnsafeMutablePointer<rd_kafka_message_t>

    init(_ message: UnsafeMutablePointer<rd_kafka_message_t>) { self.message = message }

    var key: UnsafeRawBufferPointer? {
        message.pointee.key.map { UnsafeRawBufferPointer(start: $0, count: message.pointee.key_len) }
    }

    var value: UnsafeRawBufferPointer? {
        message.pointee.payload.map { UnsafeRawBufferPointer(start: $0, count: message.pointee.len) }
    }

    var topic: String { String(cString: rd_kafka_topic_name(message.pointee.rkt)) }
    /// Identifies the message's topic handle: equal for messages of one topic, without building its name.
    var topicIdentity: UnsafeRawPointer? { message.pointee.rkt.map { UnsafeRawPointer($0) } }
    /// Whether the message carries headers (no allocation).
    var hasHeaders: Bool {
        var headers: OpaquePointer?
        return rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR && headers != nil
    }
    var partition: Int { Int(message.pointee.partition) }
    var offset: Int64 { message.pointee.offset }

    var timestampMs: Int64? {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &type)
        return type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp
    }

    /// Calls `body` for each header in wire order; the value buffer is only valid inside the call.
    func forEachHeader<E: Error>(_ body: (String, UnsafeRawBufferPointer?) throws(E) -> Void) throws(E) {
        var headers: OpaquePointer?
        guard rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR, let headers else { return }
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(headers, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            try body(String(cString: name!), value.map { UnsafeRawBufferPointer(start: $0, count: size) })
            index += 1
        }
    }
}
