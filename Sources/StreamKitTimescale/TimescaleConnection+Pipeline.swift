extension TimescaleConnection {
    /// A transaction kept open in pipeline mode across calls: its statements went out as they were sent, their
    /// results are read when it ends.
    struct OpenTransaction: Sendable {
        /// Tells this transaction from a later one.
        var id: UInt64
        /// Statements sent after `BEGIN`.
        var statements: Int
    }

    /// Runs `BEGIN`, the statements `body` sends, and `COMMIT` as one libpq pipeline on the connection's thread:
    /// one round trip for the whole transaction, and the server runs each statement while `body` prepares the
    /// next.
    ///
    /// - Returns: The affected-row count of each statement `body` sent, in order.
    /// - Throws: What `body` throws (the transaction is then rolled back), the first failed statement's error,
    ///   or a connection-lost error.
    func transactionPipeline(
        _ body: @Sendable (inout LibPQPipeline) throws(TimescaleError) -> Void
    ) throws(TimescaleError) -> [Int] {
        try withLive { pq throws(TimescaleError) in
            try pq.beginPipeline()
            return try Self.end(pq, after: 0, commit: true, body)
        }
    }

    /// Sends the statements `body` sends into the transaction kept open across calls, beginning it when none is
    /// open, and returns without waiting for their results: the server works on them while the caller goes on.
    ///
    /// Any other use of the connection rolls the open transaction back first, so ``commitOpenTransaction(_:_:)``
    /// then fails and the caller writes its rows again; nothing half-sent is ever committed.
    /// - Returns: The open transaction's id, for ``commitOpenTransaction(_:_:)``.
    /// - Throws: What `body` throws and connection errors; the open transaction is then rolled back.
    func sendInOpenTransaction(
        _ body: @Sendable (inout LibPQPipeline) throws(TimescaleError) -> Void
    ) throws(TimescaleError) -> UInt64 {
        do {
            return try withLive(keepingOpenTransaction: true) { pq throws(TimescaleError) in
                if openTransaction == nil {
                    try pq.beginPipeline()
                    openTransactionCount += 1
                    openTransaction = OpenTransaction(id: openTransactionCount, statements: 0)
                }
                var pipeline = LibPQPipeline(connection: pq)
                defer { openTransaction?.statements += pipeline.sent }
                try body(&pipeline)
                return openTransactionCount
            }
        } catch {
            abandonOpenTransaction()
            throw error
        }
    }

    /// Sends the statements `body` sends into open transaction `id` and commits it.
    ///
    /// - Returns: The affected-row count of every statement of the transaction since `BEGIN`, in order.
    /// - Throws: A connection error when transaction `id` is no longer open (other work on the connection, or a
    ///   failure, rolled it back); what `body` throws (the transaction is then rolled back); the first failed
    ///   statement's error.
    func commitOpenTransaction(
        _ id: UInt64, _ body: @Sendable (inout LibPQPipeline) throws(TimescaleError) -> Void
    ) throws(TimescaleError) -> [Int] {
        guard let open = openTransaction, open.id == id else {
            throw TimescaleError(code: .connection, message: "the open transaction was rolled back")
        }
        openTransaction = nil
        return try withLive(keepingOpenTransaction: true) { pq throws(TimescaleError) in
            try Self.end(pq, after: open.statements, commit: true, body)
        }
    }

    /// Rolls the open transaction back, if there is one; a failure only drops the connection.
    func abandonOpenTransaction() {
        guard let open = openTransaction else { return }
        openTransaction = nil
        _ = try? withLive(keepingOpenTransaction: true) { pq throws(TimescaleError) in
            try pq.endPipeline(statements: open.statements, commit: false)
        }
    }

    /// Runs `body` in the open pipeline of `pq`, after `statements` sent before, then commits (or, when `body`
    /// throws, rolls back) and reads every result.
    private static func end(
        _ pq: LibPQConnection, after statements: Int, commit: Bool,
        _ body: (inout LibPQPipeline) throws(TimescaleError) -> Void
    ) throws(TimescaleError) -> [Int] {
        var pipeline = LibPQPipeline(connection: pq)
        var failure: TimescaleError?
        do throws(TimescaleError) {
            try body(&pipeline)
        } catch {
            failure = error
        }
        let counts = try pq.endPipeline(statements: statements + pipeline.sent, commit: commit && failure == nil)
        if let failure { throw failure }
        return counts
    }
}
