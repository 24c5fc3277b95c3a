/// An error reported by librdkafka or by StreamKit's Kafka adapter.
///
/// `reason` is librdkafka's own text, verbatim. The three classification flags come from librdkafka
/// (`rd_kafka_error_is_retriable`, `rd_kafka_error_is_fatal`, `rd_kafka_error_txn_requires_abort`) where it
/// supplies them, and otherwise from the error code:
/// - `isRetriable`: the same call may succeed if repeated.
/// - `requiresAbort`: the current transaction must be aborted, then the work redone in a new one.
/// - `isFatal`: the client cannot be used any more; make a new one.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// A librdkafka error code (`rd_kafka_resp_err_t`): broker codes are positive, client-side codes negative.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The numeric `rd_kafka_resp_err_t` value.
        public var rawValue: Int32

        /// Wraps a numeric `rd_kafka_resp_err_t` value.
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// librdkafka's symbolic name of the code, such as `_TIMED_OUT` or `TOPIC_ALREADY_EXISTS`.
        public var description: String { RdKafkaErrors.name(of: rawValue) }

        /// A local timeout expired (`_TIMED_OUT`).
        public static let timedOut = Code(rawValue: -185)
        /// An argument is invalid, or a configuration property is unknown or has an invalid value (`_INVALID_ARG`).
        public static let invalidArgument = Code(rawValue: -186)
        /// The producer queue is full (`_QUEUE_FULL`); wait for deliveries, then retry.
        public static let queueFull = Code(rawValue: -184)
        /// A message timed out before delivery (`_MSG_TIMED_OUT`).
        public static let messageTimedOut = Code(rawValue: -192)
        /// The client is being destroyed (`_DESTROY`).
        public static let destroyed = Code(rawValue: -197)
        /// A fatal error was raised; see `reason` (`_FATAL`).
        public static let fatal = Code(rawValue: -150)
        /// The operation is not valid in the current state (`_STATE`).
        public static let invalidState = Code(rawValue: -172)
        /// The topic or partition is not known (`_UNKNOWN_PARTITION`).
        public static let unknownPartition = Code(rawValue: -190)
        /// The topic already exists (`TOPIC_ALREADY_EXISTS`).
        public static let topicAlreadyExists = Code(rawValue: 36)
        /// The topic or partition does not exist on the broker (`UNKNOWN_TOPIC_OR_PART`).
        public static let unknownTopicOrPartition = Code(rawValue: 3)
        /// The partition leader is not available (`LEADER_NOT_AVAILABLE`).
        public static let leaderNotAvailable = Code(rawValue: 5)
        /// The broker is not the leader for the partition (`NOT_LEADER_FOR_PARTITION`).
        public static let notLeaderForPartition = Code(rawValue: 6)
        /// The request timed out on the broker (`REQUEST_TIMED_OUT`).
        public static let requestTimedOut = Code(rawValue: 7)
        /// Not enough in-sync replicas to accept the write (`NOT_ENOUGH_REPLICAS`).
        public static let notEnoughReplicas = Code(rawValue: 19)
        /// The group coordinator is not available (`COORDINATOR_NOT_AVAILABLE`).
        public static let coordinatorNotAvailable = Code(rawValue: 15)
        /// The broker is not the group coordinator (`NOT_COORDINATOR`).
        public static let notCoordinator = Code(rawValue: 16)
        /// The request carried an outdated group generation (`ILLEGAL_GENERATION`).
        public static let illegalGeneration = Code(rawValue: 22)
        /// The coordinator does not know the group member (`UNKNOWN_MEMBER_ID`).
        public static let unknownMemberID = Code(rawValue: 25)
        /// A consumer group rebalance is in progress (`REBALANCE_IN_PROGRESS`).
        public static let rebalanceInProgress = Code(rawValue: 27)
        /// A newer producer with the same transactional id fenced this one (`INVALID_PRODUCER_EPOCH`).
        public static let invalidProducerEpoch = Code(rawValue: 47)
        /// librdkafka's word for a producer that a newer one with the same transactional id fenced (`_FENCED`).
        public static let fenced = Code(rawValue: -144)
        /// A newer producer with the same transactional id fenced this one (`PRODUCER_FENCED`).
        public static let producerFenced = Code(rawValue: 90)
        /// A newer member with the same `group.instance.id` replaced this one (`FENCED_INSTANCE_ID`).
        public static let fencedInstanceID = Code(rawValue: 82)
    }

    /// What went wrong, as a librdkafka error code.
    public var code: Code
    /// librdkafka's own description of the failure, verbatim (or StreamKit's where librdkafka gives none).
    public var reason: String
    /// The topic involved, when known.
    public var topic: String?
    /// The partition involved, when known.
    public var partition: Int?
    /// The offset involved, when known.
    public var offset: Int64?
    /// Whether repeating the same call may succeed.
    public var isRetriable: Bool
    /// Whether the client is unusable from now on and must be replaced.
    public var isFatal: Bool
    /// Whether the current transaction must be aborted (then retried in a new transaction).
    public var requiresAbort: Bool

    /// Makes an error; the classification flags default to `false`.
    public init(
        code: Code, reason: String, topic: String? = nil, partition: Int? = nil, offset: Int64? = nil,
        isRetriable: Bool = false, isFatal: Bool = false, requiresAbort: Bool = false
    ) {
        self.code = code
        self.reason = reason
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.isRetriable = isRetriable
        self.isFatal = isFatal
        self.requiresAbort = requiresAbort
    }

    /// One line: `KafkaError [CODE] on topic [partition] @offset (flags): reason`. Never holds credentials.
    public var description: String {
        var text = "KafkaError [\(code)]"
        if let topic {
            text += " on \"\(topic)\""
            if let partition { text += " [\(partition)]" }
            if let offset { text += " @\(offset)" }
        }
        let flags = [
            isFatal ? "fatal" : nil, requiresAbort ? "abort transaction" : nil, isRetriable ? "retriable" : nil,
        ]
        .compactMap { $0 }
        if !flags.isEmpty { text += " (\(flags.joined(separator: ", ")))" }
        return text + ": " + reason
    }
}
