internal import CRdKafka
import Synchronization

/// The rebalance callback's context: the events it buffers for Swift code to drain, and whether an orderly
/// revocation waits for Swift code to release the partitions.
final class RdKafkaRebalanceBuffer: Sendable {
    private let events = Mutex<[KafkaRebalanceEvent]>([])
    /// When set, an orderly revoke leaves the partitions assigned until ``KafkaConsumer/release(_:)``: the group
    /// waits, and the application can still commit for them. Otherwise the callback unassigns at once.
    let defersRevocation: Bool
    /// Set when the consumer starts closing: its final revoke cannot wait for the application.
    let isClosing = Atomic<Bool>(false)
    /// Where partitions start if the next assignment gives them to this member, instead of at the group's committed
    /// offsets (see ``KafkaConsumer/startAtNextAssignment(_:)``).
    private let startOffsets = Mutex<[KafkaTopicPartition: Int64]>([:])

    init(defersRevocation: Bool) { self.defersRevocation = defersRevocation }

    func append(_ event: KafkaRebalanceEvent) {
        events.withLock { $0.append(event) }
    }

    func setStartOffsets(_ offsets: [KafkaTopicPartition: Int64]) {
        startOffsets.withLock { $0 = offsets }
    }

    /// The start offsets for the assignment being applied; they hold for that one assignment only.
    fileprivate func takeStartOffsets() -> [KafkaTopicPartition: Int64] {
        startOffsets.withLock { offsets in
            defer { offsets.removeAll() }
            return offsets
        }
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
        RdKafkaTopicPartitionList.setOffsets(buffer.takeStartOffsets(), in: partitions)
        failure =
            cooperative
            ? RdKafkaErrors.take(rd_kafka_incremental_assign(rk, partitions))
            : RdKafkaErrors.error(rd_kafka_assign(rk, partitions))
        buffer.append(.assigned(topicPartitions))
    case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
        let lost = rd_kafka_assignment_lost(rk) != 0
        // An orderly revoke can wait for the application (librdkafka holds the rebalance until the unassign
        // call); lost partitions, and the final revoke of a closing consumer, cannot.
        if !buffer.defersRevocation || lost || buffer.isClosing.load(ordering: .acquiring) {
            failure = RdKafkaClient.unassign(rk, partitions, cooperative: cooperative)
        }
        buffer.append(.revoked(topicPartitions, lost: lost))
    default:
        // Give up what the event names, with the call the protocol accepts (the eager `rd_kafka_assign` is refused
        // under the cooperative one).
        _ = RdKafkaClient.unassign(rk, partitions, cooperative: cooperative)
        failure = RdKafkaErrors.error(err)
    }
    if let failure { buffer.append(.failed(failure)) }
}

extension RdKafkaClient {
    /// Gives up `partitions` (all of them under the eager protocol) after a revoke the application deferred.
    func unassign(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        let list = RdKafkaTopicPartitionList(partitions.map { ($0, KafkaOffset.invalid.rawValue) })
        try withHandle { rk throws(KafkaError) in
            let cooperative = rd_kafka_rebalance_protocol(rk).map { String(cString: $0) == "COOPERATIVE" } ?? false
            if let failure = list.withList({ Self.unassign(rk, $0, cooperative: cooperative) }) { throw failure }
        }
    }

    /// Unassigns incrementally (cooperative protocol) or entirely (eager).
    fileprivate static func unassign(
        _ rk: OpaquePointer, _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, cooperative: Bool
    ) -> KafkaError? {
        cooperative
            ? RdKafkaErrors.take(rd_kafka_incremental_unassign(rk, partitions))
            : RdKafkaErrors.error(rd_kafka_assign(rk, nil))
    }
}
