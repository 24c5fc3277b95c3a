extension KafkaConfiguration {
    /// How many replicas must acknowledge a produced batch before it counts as delivered.
    public struct Acks: Hashable, Sendable {
        /// The value of the `acks` property.
        public var rawValue: String
        /// No acknowledgement: fastest, may lose records.
        public static let none = Acks(rawValue: "0")
        /// The partition leader only.
        public static let leader = Acks(rawValue: "1")
        /// All in-sync replicas; required by idempotence and transactions.
        public static let all = Acks(rawValue: "all")
    }

    /// The compression codec for produced batches.
    public struct Compression: Hashable, Sendable {
        /// The value of the `compression.codec` property.
        public var rawValue: String
        /// No compression.
        public static let none = Compression(rawValue: "none")
        /// gzip.
        public static let gzip = Compression(rawValue: "gzip")
        /// Snappy.
        public static let snappy = Compression(rawValue: "snappy")
        /// LZ4.
        public static let lz4 = Compression(rawValue: "lz4")
        /// Zstandard.
        public static let zstd = Compression(rawValue: "zstd")
    }

    /// Which records of transactions a consumer returns.
    public struct IsolationLevel: Hashable, Sendable {
        /// The value of the `isolation.level` property.
        public var rawValue: String
        /// Only committed transactional records; aborted ones are skipped. Needed for exactly-once pipelines.
        public static let readCommitted = IsolationLevel(rawValue: "read_committed")
        /// Every record, including those of open and aborted transactions.
        public static let readUncommitted = IsolationLevel(rawValue: "read_uncommitted")
    }

    /// The transport between client and brokers.
    public struct SecurityProtocol: Hashable, Sendable {
        /// The value of the `security.protocol` property.
        public var rawValue: String
        /// Unencrypted, unauthenticated.
        public static let plaintext = SecurityProtocol(rawValue: "plaintext")
        /// TLS.
        public static let ssl = SecurityProtocol(rawValue: "ssl")
        /// SASL authentication without TLS.
        public static let saslPlaintext = SecurityProtocol(rawValue: "sasl_plaintext")
        /// SASL authentication over TLS.
        public static let saslSSL = SecurityProtocol(rawValue: "sasl_ssl")
    }

    /// The SASL authentication mechanism.
    public struct SASLMechanism: Hashable, Sendable {
        /// The value of the `sasl.mechanisms` property.
        public var rawValue: String
        /// PLAIN.
        public static let plain = SASLMechanism(rawValue: "PLAIN")
        /// SCRAM-SHA-256.
        public static let scramSHA256 = SASLMechanism(rawValue: "SCRAM-SHA-256")
        /// SCRAM-SHA-512.
        public static let scramSHA512 = SASLMechanism(rawValue: "SCRAM-SHA-512")
        /// OAUTHBEARER.
        public static let oauthBearer = SASLMechanism(rawValue: "OAUTHBEARER")
        /// GSSAPI (Kerberos).
        public static let gssapi = SASLMechanism(rawValue: "GSSAPI")
    }

    /// Where a consumer starts in a partition that has no committed offset.
    public struct AutoOffsetReset: Hashable, Sendable {
        /// The value of the `auto.offset.reset` property.
        public var rawValue: String
        /// The oldest retained record.
        public static let earliest = AutoOffsetReset(rawValue: "earliest")
        /// Only records produced from now on.
        public static let latest = AutoOffsetReset(rawValue: "latest")
        /// Report an error instead of choosing.
        public static let error = AutoOffsetReset(rawValue: "error")
    }
}
