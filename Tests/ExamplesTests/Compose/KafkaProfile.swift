/// The two Kafka shapes of docker-compose.yml, each a Compose profile: exactly one is switched on.
enum KafkaProfile: String, CaseIterable, Sendable {
    /// Three brokers, replication factor 3, min ISR 2 (`docker compose --profile cluster up`).
    case cluster
    /// One broker, replication factor 1, for a laptop (`docker compose --profile single up`).
    case single

    var brokerCount: Int { self == .cluster ? 3 : 1 }
    var replicationFactor: Int { self == .cluster ? 3 : 1 }
    var minInSyncReplicas: Int { self == .cluster ? 2 : 1 }
}
