/// A change of a group consumer's partitions, as buffered by the rebalance callback for Swift code to drain
/// with ``KafkaConsumer/drainRebalanceEvents()``.
///
/// By the time Swift code sees an event, librdkafka has already applied it (assigned or unassigned the
/// partitions), as the protocol requires inside the callback.
public enum KafkaRebalanceEvent: Sendable, CustomStringConvertible {
    /// Partitions now owned. With the default (eager) protocol this is the complete new assignment.
    case assigned([KafkaTopicPartition])
    /// Partitions given up. `lost` means they were taken away without an orderly revoke (the session timed
    /// out), so another member may already be processing them and commits for them will fail.
    case revoked([KafkaTopicPartition], lost: Bool)
    /// The group reported an error during rebalancing; librdkafka unassigned everything and will rejoin.
    case failed(KafkaError)

    /// `assigned [t[0], t[1]]`, `revoked [...]`, `lost [...]` or `failed: <error>`.
    public var description: String {
        switch self {
        case .assigned(let partitions): "assigned \(partitions)"
        case .revoked(let partitions, let lost): "\(lost ? "lost" : "revoked") \(partitions)"
        case .failed(let error): "failed: \(error)"
        }
    }
}
