/// The settings for a Kafka client: typed common options plus a raw map for any other librdkafka property.
///
/// Nothing is checked when the value is built; the producer, consumer, admin client or mock cluster validates it
/// when it is made, with librdkafka's own message naming the property, and throws ``KafkaError`` with code
/// ``KafkaError/Code/invalidArgument``. Unset options (`nil`) keep librdkafka's defaults, except that producers
/// partition keyed messages with `murmur2_random` (the Java client's partitioner) unless `partitioner` says
/// otherwise.
///
///     var configuration = KafkaConfiguration(bootstrapServers: "localhost:9092")
///     configuration.groupID = "market-pipeline"
///     configuration.isolationLevel = .readCommitted
///     configuration.properties["fetch.wait.max.ms"] = "50"
///
/// `description` masks passwords and secrets, so a configuration can be logged.
public struct KafkaConfiguration: Sendable, CustomStringConvertible {
    /// Comma-separated `host:port` list of brokers to bootstrap from (`bootstrap.servers`).
    public var bootstrapServers: String
    /// The consumer group (`group.id`); required to subscribe and to commit offsets.
    public var groupID: String?
    /// The client identifier sent to brokers (`client.id`).
    public var clientID: String?
    /// How many replicas must acknowledge a write (`acks`).
    public var acks: Acks?
    /// How long the producer waits to fill a batch (`linger.ms`).
    public var linger: Duration?
    /// The largest batch the producer sends to one partition, in bytes (`batch.size`).
    public var batchSize: Int?
    /// The codec for produced batches (`compression.codec`).
    public var compression: Compression?
    /// Exactly-once, in-order delivery per partition with retries (`enable.idempotence`).
    public var enableIdempotence: Bool?
    /// Whether consumers see records of open and aborted transactions (`isolation.level`).
    public var isolationLevel: IsolationLevel?
    /// The transport security (`security.protocol`).
    public var securityProtocol: SecurityProtocol?
    /// The SASL mechanism (`sasl.mechanisms`).
    public var saslMechanism: SASLMechanism?
    /// The SASL user name (`sasl.username`).
    public var saslUsername: String?
    /// The SASL password (`sasl.password`); never printed.
    public var saslPassword: String?
    /// A CA certificate file to verify brokers with (`ssl.ca.location`).
    public var sslCALocation: String?
    /// The client certificate file (`ssl.certificate.location`).
    public var sslCertificateLocation: String?
    /// The client private key file (`ssl.key.location`).
    public var sslKeyLocation: String?
    /// The password of the client private key (`ssl.key.password`); never printed.
    public var sslKeyPassword: String?
    /// Where a consumer starts when its group has no committed offset (`auto.offset.reset`).
    public var autoOffsetReset: AutoOffsetReset?
    /// Whether the consumer commits offsets in the background (`enable.auto.commit`).
    public var enableAutoCommit: Bool?
    /// Makes a producer transactional (`transactional.id`); implies idempotence.
    public var transactionalID: String?
    /// The producer's partitioner for keyed messages (`partitioner`); `murmur2_random` by default, which places
    /// keys where the Java client does and spreads null keys at random.
    public var partitioner: String
    /// Any other librdkafka property by name. Applied after the typed options, so a key here wins.
    public var properties: [String: String]
    /// The in-process cluster these bootstrap servers point at, for a configuration that came from an
    /// `.embedded` broker: every client made from it keeps the cluster running until the client is gone, so a
    /// producer that outlives its broker still shuts down cleanly instead of reconnecting to a closed port.
    var embeddedCluster: KafkaMockCluster?

    /// A configuration with only the bootstrap servers set.
    public init(bootstrapServers: String) {
        self.bootstrapServers = bootstrapServers
        self.partitioner = "murmur2_random"
        self.properties = [:]
    }

    /// The librdkafka properties in the order they are applied: typed options, then `properties` sorted by name.
    public var librdkafkaProperties: [(name: String, value: String)] {
        var list: [(name: String, value: String)] = [("bootstrap.servers", bootstrapServers)]
        func add(_ name: String, _ value: String?) {
            if let value { list.append((name, value)) }
        }
        add("group.id", groupID)
        add("client.id", clientID)
        add("acks", acks?.rawValue)
        add("linger.ms", linger.map { String(Self.milliseconds($0)) })
        add("batch.size", batchSize.map(String.init))
        add("compression.codec", compression?.rawValue)
        add("enable.idempotence", enableIdempotence.map(String.init))
        add("isolation.level", isolationLevel?.rawValue)
        add("security.protocol", securityProtocol?.rawValue)
        add("sasl.mechanisms", saslMechanism?.rawValue)
        add("sasl.username", saslUsername)
        add("sasl.password", saslPassword)
        add("ssl.ca.location", sslCALocation)
        add("ssl.certificate.location", sslCertificateLocation)
        add("ssl.key.location", sslKeyLocation)
        add("ssl.key.password", sslKeyPassword)
        add("auto.offset.reset", autoOffsetReset?.rawValue)
        add("enable.auto.commit", enableAutoCommit.map(String.init))
        add("transactional.id", transactionalID)
        for name in properties.keys.sorted() { list.append((name, properties[name]!)) }
        return list
    }

    /// Whether a property holds a credential, so its value must never be printed or logged.
    public static func isSensitive(property name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered.contains("password") || lowered.contains("secret") || lowered.hasSuffix(".pem")
            || lowered == "sasl.oauthbearer.config" || lowered == "ssl.keystore.location"
    }

    /// The applied properties as `name=value` pairs, with credentials shown as `***`.
    public var description: String {
        let pairs = librdkafkaProperties.map { property in
            "\(property.name)=\(Self.isSensitive(property: property.name) ? "***" : property.value)"
        }
        return "KafkaConfiguration(\(pairs.joined(separator: ", ")))"
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
