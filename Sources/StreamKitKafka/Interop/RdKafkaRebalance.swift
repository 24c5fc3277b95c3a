internal import CRdKafka
import Synchronization

/// The rebalance callback's context: the events it buffers for Swift code to drain, and start offsets that
/// Swift code asked to apply to partitions when they are next assigned.
final class RdKafkaRebalanceBuffer: Sendable {
    private let events = Mutex<[KafkaRebalanceEvent]>([])
    private let startOffsets = Mutex<[KafkaTopicPartition: Int64]>([:])

    /// Makes the next assignment of these partitions start at these offsets instead of the committed ones.
    func setStartOffsets(_ offsets: [KafkaTopicPartition: Int64]) {
        startOffsets.withLock { $0.merge(offsets) { _, new in new } }
    }

    /// Removes and returns the start offsets set for any of `partitions`.
    func takeStartOffsets(for partitions: [KafkaTopicPartition]) -> [KafkaTopicPartition: Int64] {
        startOffsets.withLock { offsets in
            var taken: [KafkaTopicPartition: Int64] = [:]
            for partition in partitions { taken[partition] = offsets.removeValue(forKey: partition) }
            return taken
        }
    }

    func append(_ event: KafkaRebalanceEvent) {
        events.withLock { $0.append(event) }
    }

    func drain() -> [KafkaRebalanceEvent] {
        events.withLock { events in
            defer { events.removeAll() }
            return events
        }
    }
}

extension RdKafkaConfig {
    /// Installs the rebalance callback with `buffer` as its opaque context. The pointer is unretained: the
    /// caller passes `buffer` to `RdKafkaClient(callbackContext:)`, which keeps it alive until after
    /// `rd_kafka_destroy`, the last point at which librdkafka can call back.
    func setRebalanceCallback(_ buffer: RdKafkaRebalanceBuffer) {
        withConf { conf in
            rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(buffer).toOpaque())
            rd_kafka_conf_set_rebalance_cb(conf, rdKafkaRebalanceCallback)
        }
    }
}

/// Capture-free, as C requires. Does only what librdkafka demands inside the callback (apply the assignment
/// or unassign, incrementally under the cooperative protocol) and buffers the rest. It runs on whichever thread
/// is serving the consumer queue (a poll or close), so it must not block.
private func rdKafkaRebalanceCallback(
    rk: OpaquePointer?, err: rd_kafka_resp_err_t, partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
    opaque: UnsafeMutableRawPointer?
) {
    guard let rk, let opaque else { return }
    let buffer = Unmanaged<RdKafkaRebalanceBuffer>.fromOpaque(opaque).takeUnretainedValue()
    let cooperative = rd_kafka_rebalance_protocol(rk).map { String(cString: $0) == "COOPERATIVE" } ?? false
    let topicPartitions = RdKafkaTopicPartitionList.entries(of: partitions).map(\.topicPartition)
    var failure: KafkaError?
    switch err {
    case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
        // Offsets set before the assignment replace the committed ones; set in the list given to librdkafka, they
        // take effect without a race against its committed-offset lookup.
        let starts = buffer.takeStartOffsets(for: topicPartitions)
        if !starts.isEmpty, let list = partitions {
            for index in 0..<Int(list.pointee.cnt) {
                let element = list.pointee.elems[index]
                let key = KafkaTopicPartition(topic: String(cString: element.topic), partition: Int(element.partition))
                if let offset = starts[key] { list.pointee.elems[index].offset = offset }
            }
        }
        failure =
            cooperative
            ? RdKafkaErrors.take(rd_kafka_incremental_assign(rk, partitions))
            : RdKafkaErrors.error(rd_kafka_assign(rk, partitions))
        buffer.append(.assigned(topicPartitions))
    case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
        let lost = rd_kafka_assignment_lost(rk) != 0
        failure =
            cooperative
            ? RdKafkaErrors.take(rd_kafka_incremental_unassign(rk, partitions))
            : RdKafkaErrors.error(rd_kafka_assign(rk, nil))
        buffer.append(.revoked(topicPartitions, lost: lost))
    default:
        _ = rd_kafka_assign(rk, nil)
        failure = RdKafkaErrors.error(err)
    }
    if let failure { buffer.append(.failed(failure)) }
}
