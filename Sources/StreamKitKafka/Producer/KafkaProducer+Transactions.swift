extension KafkaProducer {
    /// Registers ``KafkaConfiguration/transactionalID`` with the coordinator, fencing older producers with the
    /// same id and completing their open transactions. Call once, before the first transaction.
    ///
    /// - Throws: ``KafkaError``; retry if `isRetriable`, replace the producer if `isFatal`.
    public func initTransactions(timeout: Duration = .seconds(30)) async throws(KafkaError) {
        try await blockingRun { client throws(KafkaError) in
            try client.initTransactions(timeoutMs: timeout.rdKafkaTimeout)
        }
    }

    /// Starts a transaction: records produced from now until commit or abort belong to it. Local; no request.
    public func beginTransaction() throws(KafkaError) {
        try core.client.beginTransaction()
    }

    /// Adds a consumer's offsets to the transaction, so they are committed exactly when its records are.
    ///
    /// - Parameters:
    ///   - offsets: Per partition, the next offset to read (last processed plus one).
    ///   - groupMetadata: From ``KafkaConsumer/groupMetadata()`` of the consumer that read the input.
    ///   - timeout: How long the group coordinator may take to answer.
    /// - Throws: ``KafkaError``; if `requiresAbort`, call ``abortTransaction(timeout:)`` and redo the work.
    public func sendOffsetsToTransaction(
        _ offsets: [KafkaTopicPartition: Int64], groupMetadata: KafkaConsumerGroupMetadata,
        timeout: Duration = .seconds(30)
    ) async throws(KafkaError) {
        let list = offsets.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let metadata = groupMetadata.serialized
        try await blockingRun { client throws(KafkaError) in
            try client.sendOffsetsToTransaction(list, groupMetadata: metadata, timeoutMs: timeout.rdKafkaTimeout)
        }
    }

    /// Flushes the transaction's records and commits them with its offsets.
    ///
    /// - Throws: ``KafkaError``: if `isRetriable`, call again; if `requiresAbort`, abort and redo the work;
    ///   if `isFatal`, replace the producer.
    public func commitTransaction(timeout: Duration = .seconds(30)) async throws(KafkaError) {
        try await blockingRun { client throws(KafkaError) in
            try client.commitTransaction(timeoutMs: timeout.rdKafkaTimeout)
        }
    }

    /// Aborts the transaction: its records are marked aborted (invisible to `read_committed` consumers) and its
    /// offsets are not committed. Outstanding records are purged first.
    public func abortTransaction(timeout: Duration = .seconds(30)) async throws(KafkaError) {
        try await blockingRun { client throws(KafkaError) in
            try client.abortTransaction(timeoutMs: timeout.rdKafkaTimeout)
        }
    }

    private func blockingRun(_ body: @escaping @Sendable (RdKafkaClient) throws(KafkaError) -> Void)
        async throws(KafkaError)
    {
        let client = core.client
        try await core.blocking.run { () throws(KafkaError) in try body(client) }
    }
}
