/// A Kafka consumer: subscribes as a member of a consumer group, or reads explicitly assigned partitions,
/// and polls records in batches read in place.
///
/// Poll on a thread of your own with the blocking ``poll(maxMessages:timeout:)``, or from a task with
/// ``nextBatch(maxMessages:timeout:)``, which runs the blocking call on a Dispatch thread. After each poll, drain
/// ``drainRebalanceEvents()`` to learn which partitions were assigned or revoked meanwhile. Commits are manual
/// when ``KafkaConfiguration/enableAutoCommit`` is `false`; a committed offset is the *next* offset to read.
///
///     var configuration = KafkaConfiguration(bootstrapServers: brokers)
///     configuration.groupID = "bars"
///     configuration.enableAutoCommit = false
///     let consumer = try KafkaConsumer(configuration: configuration)
///     try consumer.subscribe(topics: ["orderbook.raw"])
///     let batch = try await consumer.nextBatch(maxMessages: 4_096, timeout: .milliseconds(100))
///     batch.forEach { message in handle(message.value) }
///
/// Thread-safe. Call ``close(timeout:)`` to leave the group promptly; releasing the consumer without it closes too,
/// but blocks the releasing thread.
public final class KafkaConsumer: Sendable {
    let client: RdKafkaClient
    private let queue: RdKafkaQueue
    private let rebalance: RdKafkaRebalanceBuffer
    private let blocking: BlockingCalls
    /// Whether ``close(timeout:)`` leaves the group in ordinary polls first (see ``leaveGroup(within:)``): only without
    /// auto-commit, where the records those polls discard cannot be committed behind the application's back.
    private let leavesBeforeClose: Bool

    /// Makes the consumer; throws ``KafkaError`` naming the property if librdkafka rejects the configuration.
    public convenience init(configuration: KafkaConfiguration) throws(KafkaError) {
        try self.init(configuration: configuration, defersRevocation: false)
    }

    /// Makes the consumer. With `defersRevocation`, an orderly revoke keeps the partitions assigned (the group
    /// waits, commits for them are still accepted) until ``release(_:)``; StreamKit's runtime checkpoints them in
    /// between.
    init(configuration: KafkaConfiguration, defersRevocation: Bool) throws(KafkaError) {
        // librdkafka 2.0 needs a group even for assigned partitions; one of our own, never committed to, keeps
        // an assign-only consumer working. The caller's settings are applied after these and win.
        let unmanaged: [(name: String, value: String)] =
            configuration.groupID == nil && configuration.properties["group.id"] == nil
            ? [
                ("group.id", "streamkit-unmanaged-\(UInt64.random(in: 0...UInt64.max))"),
                ("enable.auto.commit", "false"),
            ]
            : []
        let config = try RdKafkaConfig(configuration, defaults: unmanaged)
        let rebalance = RdKafkaRebalanceBuffer(defersRevocation: defersRevocation)
        config.setRebalanceCallback(rebalance)
        client = try RdKafkaClient(.consumer, config: config, callbackContext: rebalance)
        queue = RdKafkaQueue.consumer(of: client)
        self.rebalance = rebalance
        let autoCommit = configuration.librdkafkaProperties.last { $0.name == "enable.auto.commit" }?.value ?? "true"
        leavesBeforeClose = autoCommit == "false"
        blocking = BlockingCalls(label: "streamkit.kafka.consumer.\(client.name)")
    }

    // MARK: - Partitions

    /// Joins the group (``KafkaConfiguration/groupID``) for `topics`; partitions arrive at a later poll and are
    /// reported by ``drainRebalanceEvents()``. Replaces any previous subscription.
    public func subscribe(topics: [String]) throws(KafkaError) {
        try client.subscribe(to: topics)
    }

    /// Leaves the subscription; the partitions are revoked at a later poll.
    public func unsubscribe() throws(KafkaError) {
        try client.unsubscribe()
    }

    /// Reads exactly these partitions, starting at the given offsets, without group management.
    ///
    /// Replaces the previous assignment; an empty map unassigns everything. Without
    /// ``KafkaConfiguration/groupID`` the consumer belongs to a private group of its own, so its commits
    /// are meaningless to anyone else.
    public func assign(_ offsets: [KafkaTopicPartition: KafkaOffset]) throws(KafkaError) {
        try client.assign(
            offsets.isEmpty ? nil : offsets.sorted { $0.key < $1.key }.map { ($0.key, $0.value.rawValue) })
    }

    /// The partitions currently assigned, sorted.
    public func assignment() throws(KafkaError) -> [KafkaTopicPartition] {
        try client.assignment().sorted()
    }

    /// Returns the rebalance events buffered since the last call, oldest first, and clears the buffer.
    public func drainRebalanceEvents() -> [KafkaRebalanceEvent] {
        rebalance.drain()
    }

    /// Gives up partitions whose revoke was deferred (see ``init(configuration:defersRevocation:)``): the group's
    /// rebalance goes on from here.
    func release(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        try client.unassign(partitions)
    }

    /// Starts these partitions at these offsets if the next assignment gives them to this consumer, instead of at
    /// the group's committed offsets; partitions that the next assignment leaves out forget theirs. Replaces what
    /// an earlier call set.
    ///
    /// For offsets the group refused to commit during a rebalance, whose records this member has fully processed.
    func startAtNextAssignment(_ offsets: [KafkaTopicPartition: Int64]) {
        rebalance.setStartOffsets(offsets)
    }

    // MARK: - Polling

    /// Blocks up to `timeout` for records, then returns up to `maxMessages` of them (an empty batch on timeout).
    ///
    /// Blocking: call it on a thread of your own, never on the cooperative pool (use
    /// ``nextBatch(maxMessages:timeout:)`` from a task). Rebalance callbacks run inside this call.
    /// - Throws: ``KafkaError`` with `isFatal` when the consumer can no longer be used; other errors arrive
    ///   in ``KafkaMessageBatch/errors``.
    public func poll(maxMessages: Int, timeout: Duration) throws(KafkaError) -> KafkaMessageBatch {
        let storage = try RdKafkaMessageArray(
            consuming: queue, maxMessages: maxMessages, timeoutMs: timeout.rdKafkaTimeout)
        if storage.errors.contains(where: { $0.code == .fatal }), let fatal = client.fatalError { throw fatal }
        return KafkaMessageBatch(storage: storage)
    }

    /// ``poll(maxMessages:timeout:)`` on a Dispatch thread, for callers in a task.
    public func nextBatch(maxMessages: Int, timeout: Duration) async throws(KafkaError) -> KafkaMessageBatch {
        try await blocking.run { () throws(KafkaError) in try self.poll(maxMessages: maxMessages, timeout: timeout) }
    }

    // MARK: - Flow control

    /// Stops fetching from the partitions (records already fetched may still arrive) until ``resume(_:)``.
    public func pause(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        try client.pause(partitions, resume: false)
    }

    /// Fetches again from paused partitions, from where the application left off.
    public func resume(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        try client.pause(partitions, resume: true)
    }

    /// Moves the next read of assigned partitions to the given offsets; waits up to `timeout` for the seek.
    public func seek(_ offsets: [KafkaTopicPartition: KafkaOffset], timeout: Duration = .seconds(5))
        async throws(KafkaError)
    {
        let list = offsets.sorted { $0.key < $1.key }.map { ($0.key, $0.value.rawValue) }
        try await blockingRun { client throws(KafkaError) in try client.seek(list, timeoutMs: timeout.rdKafkaTimeout) }
    }

    /// The metadata a transactional producer needs to commit this consumer's offsets
    /// (``KafkaProducer/sendOffsetsToTransaction(_:groupMetadata:timeout:)``).
    public func groupMetadata() throws(KafkaError) -> KafkaConsumerGroupMetadata {
        KafkaConsumerGroupMetadata(serialized: try client.groupMetadata())
    }

    /// Leaves the group (after a final revoke, reported by ``drainRebalanceEvents()``) and stops fetching.
    /// Commits consumed offsets first if auto-commit is on. Runs on a Dispatch thread.
    ///
    /// Waits at most `timeout` (30 s, as the Java client's `close()`), then throws `_TIMED_OUT`: a close can wait
    /// for a group request the broker never answers. The group then expires the member after its session timeout,
    /// and the consumer must not be used again.
    public func close(timeout: Duration = .seconds(30)) async throws(KafkaError) {
        rebalance.isClosing.store(true, ordering: .releasing)
        let closed: Void? = try await blocking.run(within: timeout) { () throws(KafkaError) in
            if self.leavesBeforeClose { try self.leaveGroup(within: min(.seconds(10), timeout)) }
            try self.client.closeConsumer()
        }
        guard closed != nil else {
            throw KafkaError(
                code: .timedOut,
                reason: "the consumer did not finish closing within \(timeout); the group expires it after its "
                    + "session timeout")
        }
    }

    /// Unsubscribes and polls until the final revoke has unassigned everything (or `limit` passes), discarding
    /// the records polled meanwhile: auto-commit is off, so the next owners read them from the committed offsets.
    ///
    /// The revoke is served here, in an ordinary poll, rather than inside `rd_kafka_consumer_close`: there,
    /// librdkafka 2.0.2 can wait forever in the rebalance callback's `rd_kafka_incremental_unassign` under the
    /// cooperative protocol (seen as a hung close; fixed upstream in 2.4.0, librdkafka #4528).
    private func leaveGroup(within limit: Duration) throws(KafkaError) {
        guard try !client.subscription().isEmpty else { return }
        try client.unsubscribe()
        let deadline = ContinuousClock.now + limit
        while try !client.assignment().isEmpty, ContinuousClock.now < deadline {
            _ = try poll(maxMessages: 1_024, timeout: .milliseconds(100))
        }
    }

    /// Runs a blocking librdkafka call on a Dispatch thread.
    func blockingRun<T: Sendable>(
        _ body: @escaping @Sendable (RdKafkaClient) throws(KafkaError) -> T
    ) async throws(KafkaError) -> T {
        let client = client
        return try await blocking.run { () throws(KafkaError) in try body(client) }
    }
}

/// A consumer's group identity (group, generation, member), serialised by librdkafka, as a transactional
/// producer needs it to commit offsets in a transaction.
public struct KafkaConsumerGroupMetadata: Hashable, Sendable {
    /// librdkafka's serialised form (`rd_kafka_consumer_group_metadata_write`).
    public var serialized: [UInt8]

    /// Wraps librdkafka's serialised form.
    public init(serialized: [UInt8]) { self.serialized = serialized }
}
