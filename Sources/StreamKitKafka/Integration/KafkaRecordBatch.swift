import StreamKit

/// One partition's records of a polled ``KafkaMessageBatch``, lent to the pipeline in place.
///
/// Several of these share one message batch (a poll returns records of many partitions); each keeps the indices
/// of its own records, so nothing is copied: `RawRecordView`s point straight into librdkafka's buffers.
struct KafkaRecordBatch: RecordBatch {
    let topicPartition: TopicPartition
    let messages: KafkaMessageBatch
    private(set) var indices: [Int]
    private(set) var nextOffset: Int64

    var count: Int { indices.count }

    func forEach(_ body: (borrowing RawRecordView) throws -> Void) rethrows {
        let topic = topicPartition.topic
        for index in indices {
            try messages.withMessage(at: index) { message in
                try body(
                    RawRecordView(
                        topic: topic, partition: message.partition, offset: message.offset,
                        timestamp: EventTime(milliseconds: message.timestampMs ?? 0), key: message.key,
                        value: message.value, headers: Self.headers(of: message)))
            }
        }
    }

    /// The headers as the core sees them; a null header value becomes an empty one. No allocation without headers.
    private static func headers(of message: borrowing KafkaMessageView) -> [RecordHeader] {
        guard message.hasHeaders else { return [] }
        var headers: [RecordHeader] = []
        message.forEachHeader { name, value in
            headers.append(RecordHeader(name: name, value: value.map(Array.init) ?? []))
        }
        return headers
    }

    /// Splits a polled batch into per-partition batches, in the order partitions first appear.
    static func split(_ messages: KafkaMessageBatch) -> [KafkaRecordBatch] {
        var batches: [KafkaRecordBatch] = []
        var byPartition: [TopicPartition: Int] = [:]
        var names: [UnsafeRawPointer?: String] = [:]
        var current: (topic: UnsafeRawPointer?, partition: Int, batch: Int)? = nil
        for index in 0..<messages.count {
            messages.withMessage(at: index) { message in
                let identity = message.topicIdentity
                let partition = message.partition
                let slot: Int
                if let current, current.topic == identity, current.partition == partition {
                    slot = current.batch
                } else {
                    let name = names[identity] ?? message.topic
                    names[identity] = name
                    let key = TopicPartition(topic: name, partition: partition)
                    if let existing = byPartition[key] {
                        slot = existing
                    } else {
                        slot = batches.count
                        byPartition[key] = slot
                        batches.append(
                            KafkaRecordBatch(topicPartition: key, messages: messages, indices: [], nextOffset: 0))
                    }
                    current = (identity, partition, slot)
                }
                batches[slot].indices.append(index)
                batches[slot].nextOffset = message.offset + 1
            }
        }
        return batches
    }
}
