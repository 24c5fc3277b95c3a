internal import CRdKafka

/// One entry of a topic-partition list copied into Swift.
struct RdKafkaPartitionEntry: Sendable {
    var topicPartition: KafkaTopicPartition
    var offset: Int64
    var error: KafkaError?
}

/// Owns one `rd_kafka_topic_partition_list_t`.
final class RdKafkaTopicPartitionList {
    private let list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(capacity: Int = 0) {
        list = rd_kafka_topic_partition_list_new(Int32(clamping: capacity))
    }

    /// Takes over a list that librdkafka handed to us and that we must destroy.
    init(taking list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        self.list = list
    }

    convenience init(_ offsets: some Collection<(KafkaTopicPartition, Int64)>) {
        self.init(capacity: offsets.count)
        for (topicPartition, offset) in offsets { add(topicPartition, offset: offset) }
    }

    deinit { rd_kafka_topic_partition_list_destroy(list) }

    func add(_ topicPartition: KafkaTopicPartition, offset: Int64 = KafkaOffset.invalid.rawValue) {
        let element = rd_kafka_topic_partition_list_add(list, topicPartition.topic, Int32(topicPartition.partition))
        element?.pointee.offset = offset
    }

    var entries: [RdKafkaPartitionEntry] { Self.entries(of: list) }

    func withList<R, E: Error>(
        _ body: (UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) throws(E) -> R
    ) throws(E) -> R { try body(list) }

    /// Copies a list that librdkafka lends (for example to a callback).
    static func entries(of list: UnsafePointer<rd_kafka_topic_partition_list_t>?) -> [RdKafkaPartitionEntry] {
        guard let list, let elements = list.pointee.elems else { return [] }
        return (0..<Int(list.pointee.cnt)).map { index in
            let element = elements[index]
            let topic = String(cString: element.topic)
            let partition = Int(element.partition)
            return RdKafkaPartitionEntry(
                topicPartition: KafkaTopicPartition(topic: topic, partition: partition), offset: element.offset,
                error: RdKafkaErrors.error(element.err, topic: topic, partition: partition))
        }
    }

    static func entries(of list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) -> [RdKafkaPartitionEntry] {
        entries(of: UnsafePointer(list))
    }

    /// Sets the offsets of the entries of a lent list that `offsets` names; leaves the others as they are.
    static func setOffsets(
        _ offsets: [KafkaTopicPartition: Int64], in list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
    ) {
        guard !offsets.isEmpty, let list, let elements = list.pointee.elems else { return }
        for index in 0..<Int(list.pointee.cnt) {
            let element = elements[index]
            let topicPartition = KafkaTopicPartition(
                topic: String(cString: element.topic), partition: Int(element.partition))
            if let offset = offsets[topicPartition] { elements[index].offset = offset }
        }
    }
}
