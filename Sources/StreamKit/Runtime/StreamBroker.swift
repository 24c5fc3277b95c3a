/// A place where topics live: the in-memory broker, or Kafka through StreamKitKafka.
///
/// The runtime talks to brokers only through these protocols, at batch granularity; the per-record
/// hot path never touches them.
public protocol StreamBroker: Sendable {
    /// Makes a consumer in the group `group`.
    ///
    /// - Parameters:
    ///   - group: The consumer group: the app's name.
    ///   - readCommitted: Hide records of aborted and open transactions (exactly-once).
    func makeConsumer(group: String, readCommitted: Bool) async throws -> any BrokerConsumer
    /// Makes a producer; with a `transactionalID`, one that writes in transactions.
    func makeProducer(transactionalID: String?) async throws -> any BrokerProducer
    /// Creates the topics that do not exist yet; existing ones are left as they are.
    func createTopics(_ specs: [TopicSpec]) async throws
    /// Calls `body` for every committed record of a partition, from the beginning to its current end
    /// (changelog restore).
    ///
    /// This is the runtime's zero-copy read, for broker implementations to provide. To read a partition from app
    /// or test code, call `rawRecords(in:)` or `records(in:)`, which copy. `body` runs on
    /// the caller's actor (`nonisolated(nonsending)`); the view is valid only during the call, so copy what you
    /// keep (`view.copy()`) and do not capture the view in another closure (Swift 6.3's compiler crashes on that).
    nonisolated(nonsending) func readToEnd(
        _ partition: TopicPartition, _ body: (borrowing RawRecordView) throws -> Void) async throws
    /// Deletes the records of each partition below the given offset, as far as the broker can: the runtime purges
    /// repartition topics up to the group's committed offsets after each commit, since they have no time
    /// retention. Deleting is an optimisation that loses nothing the app still needs; a failure can be logged and
    /// tried again with the next commit. The default does nothing (a broker that cannot delete records).
    func deleteRecords(before offsets: [TopicPartition: Int64]) async throws
    /// The partition counts of existing topics among `topics` (the app reads them to know how many upstream
    /// partitions feed its repartition topics); topics it cannot tell are left out.
    func partitionCounts(of topics: [String]) async throws -> [String: Int]
}

extension StreamBroker {
    /// Does nothing: the broker keeps every record.
    public func deleteRecords(before offsets: [TopicPartition: Int64]) async throws {}

    /// Tells nothing: the app goes by the partition counts its topics were declared with.
    public func partitionCounts(of topics: [String]) async throws -> [String: Int] { [:] }
}

/// A consumer: group membership, batched polling, commits, pause and resume.
public protocol BrokerConsumer: AnyObject {
    /// Joins the group for these topics; assignments arrive as events from `poll`.
    func subscribe(to topics: [String]) async throws
    /// Waits up to `timeout` for records and returns at most `maxRecords` of them in per-partition
    /// batches, plus any assignment changes since the last poll.
    func poll(maxRecords: Int, timeout: Duration) async throws -> BrokerPoll
    /// Commits, for each partition, the offset of the next record to read.
    func commit(_ offsets: [TopicPartition: Int64]) async throws
    /// Moves the read position of an assigned partition.
    func seek(_ partition: TopicPartition, to offset: Int64) throws
    /// Stops fetching from these partitions until `resume`.
    func pause(_ partitions: [TopicPartition]) throws
    /// Fetches again from paused partitions.
    func resume(_ partitions: [TopicPartition]) throws
    /// Records not yet read per partition: the partition's end (under read-committed, its last stable
    /// offset) minus this consumer's position, or minus the group's committed offset before the first
    /// record. The runtime asks after each assignment and about once a second, for the lag metric and
    /// readiness; it may cost a request to the broker per partition.
    func lag(for partitions: [TopicPartition]) async throws -> [TopicPartition: Int64]
    /// Gives up partitions that a poll reported as `.revoked`, once the app has checkpointed them.
    ///
    /// Until this call the consumer still owns them: the group waits, and commits for them are accepted. The
    /// runtime calls it after it has flushed the outputs of those partitions, written their changelogs and
    /// committed their offsets (or committed the transaction), so the next owner starts exactly there.
    func release(_ partitions: [TopicPartition]) async throws
    /// Moves the read position of assigned partitions back to the group's committed offsets: after an aborted
    /// transaction, the records since the last commit are read again.
    func rewind(_ partitions: [TopicPartition]) async throws
    /// The offset after the last record of each partition now: the high watermark, or under read-committed
    /// the last stable offset. A backtest reads each partition up to the end it had when it was assigned.
    func endOffsets(for partitions: [TopicPartition]) async throws -> [TopicPartition: Int64]
    /// Leaves the group.
    func close() async throws
}

/// A producer: fire-and-forget sends whose failures surface at `flush`, and transactions.
public protocol BrokerProducer: AnyObject {
    /// Queues a record; the broker picks the partition from the key when `record.partition` is `nil`.
    func send(_ record: RawRecord) throws
    /// Waits until every queued record is acknowledged; throws the first delivery failure.
    func flush() async throws
    /// Starts a transaction (transactional producers only).
    func beginTransaction() async throws
    /// Commits the open transaction together with the consumer's offsets.
    func commitTransaction(offsets: [TopicPartition: Int64], consumer: any BrokerConsumer) async throws
    /// Aborts the open transaction; its records are never visible to read-committed consumers.
    func abortTransaction() async throws
    /// Flushes and releases the producer.
    func close() async throws
}

/// What one poll returned.
public struct BrokerPoll {
    /// Partitions assigned or revoked since the last poll, in order.
    public var events: [AssignmentEvent]
    /// Records, one batch per partition.
    public var batches: [any RecordBatch]
    /// Partitions whose end this poll reached, with the offset of that end (the next offset to read there):
    /// nothing more was there to read when the poll returned.
    public var endsReached: [TopicPartition: Int64]

    /// Makes a poll result.
    public init(
        events: [AssignmentEvent] = [], batches: [any RecordBatch] = [], endsReached: [TopicPartition: Int64] = [:]
    ) {
        self.events = events
        self.batches = batches
        self.endsReached = endsReached
    }
}

/// A change of the partitions a consumer owns.
public enum AssignmentEvent: Hashable, Sendable {
    /// These partitions now belong to this consumer; restore their state before processing.
    case assigned([TopicPartition])
    /// These partitions are being taken away: checkpoint them, then ``BrokerConsumer/release(_:)`` them. No
    /// record of them is handed out after this event.
    case revoked([TopicPartition])
    /// These partitions were taken away without an orderly revoke (the member's session expired): another
    /// member may already process them, so their uncommitted work is dropped, never committed.
    case lost([TopicPartition])
}

/// Records of one partition, lent in place.
public protocol RecordBatch {
    /// The partition the records come from.
    var topicPartition: TopicPartition { get }
    /// How many records there are.
    var count: Int { get }
    /// The offset after the last record (the next to read).
    var nextOffset: Int64 { get }
    /// Lends each record in order. The views must not escape `body`.
    func forEach(_ body: (borrowing RawRecordView) throws -> Void) rethrows
}
