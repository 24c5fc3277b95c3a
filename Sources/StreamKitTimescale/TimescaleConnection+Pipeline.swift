extension TimescaleConnection {
    /// Runs `BEGIN`, the statements `body` sends, and `COMMIT` as one libpq pipeline, on the connection's thread:
    /// one round trip for the whole transaction, and the server runs each statement while `body` prepares the
    /// next (see ``LibPQConnection/transactionPipeline(_:)``).
    ///
    /// - Returns: The affected-row count of each statement `body` sent, in order.
    /// - Throws: What `body` throws (the transaction is then rolled back), the first failed statement's error,
    ///   or a connection-lost error.
    func transactionPipeline(
        _ body: @Sendable (inout LibPQPipeline) throws(TimescaleError) -> Void
    ) throws(TimescaleError) -> [Int] {
        try withLive { pq throws(TimescaleError) in try pq.transactionPipeline(body) }
    }
}
