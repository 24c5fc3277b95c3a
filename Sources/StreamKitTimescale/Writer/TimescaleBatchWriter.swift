import Logging

/// Writes batches of rows into one table idempotently: an upsert on the table's key, in one transaction,
/// optionally with the consumed offsets.
///
/// Each ``write(_:offsets:)`` runs one transaction, sent as one libpq pipeline (one round trip):
/// 1. `BEGIN`
/// 2. per chunk of ``chunkSize`` rows, one `INSERT … SELECT * FROM unnest($1, $2, …) ON CONFLICT (key) DO UPDATE`
///    with each column bound as one binary array; the last row per key in a
///    chunk wins, later chunks update earlier ones, and rows whose values did not change are not rewritten.
///    The server runs a chunk while the next one is encoded and sent.
/// 3. with offsets: an upsert of each `(consumer_group, topic, partition, next_offset)` into the offsets table
/// 4. `COMMIT`
///
/// On PostgreSQL 15 and later, a plain table (no hypertable) whose keys the client can compare gets its chunks as
/// `MERGE` statements instead: the same rows end up stored, and new rows cost the server markedly less (a plain
/// insert each, not a speculative one). Should a concurrent writer insert one of the keys meanwhile (`unique_violation`), the
/// batch is written again with `INSERT … ON CONFLICT`.
///
/// A table without an upsert key is append-only: its rows go in with binary `COPY` instead, which is not
/// idempotent on retry.
///
/// When the connection is lost (a restart, a failover, `pg_terminate_backend`), the writer reconnects with the
/// connection's backoff and runs the whole batch again. The upsert key makes that harmless: nothing is lost and
/// nothing is duplicated, even when the first `COMMIT` did succeed before the connection dropped.
///
///     let writer = try await TimescaleBatchWriter.make(connection: pg, table: bars, offsetsTable: "streamkit_offsets")
///     let consumed = TimescaleOffset(consumerGroup: "bars", topic: "orderbook.raw", partition: 0, nextOffset: 1_001)
///     try await writer.write(rows, offsets: [consumed])
public struct TimescaleBatchWriter: Sendable {
    /// The connection the writer uses; share it only with work that tolerates its reconnects.
    public let connection: TimescaleConnection
    /// The target table.
    public let table: TimescaleTable
    /// The offsets table for exactly-once mode, or `nil`.
    public let offsetsTable: SQLTableName?
    /// How many times one batch is tried before the error is thrown.
    public let maxAttempts: Int

    /// Rows per `INSERT` of a batch: large enough to amortise a statement, small enough that the server works on
    /// one chunk while the next is encoded.
    public let chunkSize: Int

    private let logger: Logger
    private let upsert: TimescaleUpsertStatement
    /// The `MERGE` form of the chunks (``TimescaleUpsertStatement/mergeSQL``) when this writer uses it, else
    /// `nil`: chunks go in as ``TimescaleUpsertStatement/sql`` (`INSERT … ON CONFLICT`).
    private let mergeSQL: String?

    /// Makes a writer for `table`, creating the offsets table when `offsetsTable` is given.
    ///
    /// Create the target first with ``TimescaleConnection/ensureSchema(for:)``.
    /// - Parameters:
    ///   - table: The table written to.
    ///   - connection: The connection the writer runs its transactions on.
    ///   - offsetsTable: The table for exactly-once offsets (`streamkit_offsets` by convention), or `nil` for
    ///     at-least-once writing without offsets.
    ///   - maxAttempts: Transactions tried per batch; each retry after a lost connection reconnects first.
    ///   - chunkSize: Rows per `INSERT` statement of a batch.
    ///   - logger: Receives retry warnings; never values or credentials.
    /// - Throws: A configuration error for an invalid offsets table name or a `chunkSize` below 1; server and
    ///   connection errors.
    public static func make(
        connection: TimescaleConnection, table: TimescaleTable, offsetsTable: String? = nil, maxAttempts: Int = 5,
        chunkSize: Int = 10_000, logger: Logger = Logger(label: "StreamKitTimescale")
    ) async throws -> TimescaleBatchWriter {
        // MERGE needs PostgreSQL 15; hypertables (a time column) keep INSERT … ON CONFLICT, which TimescaleDB
        // routes to their chunks in every version.
        let upsert = TimescaleUpsertStatement(table)
        var mergeSQL: String?
        if table.timeColumn == nil, let merge = upsert.mergeSQL {
            let version = try await connection.execute("SELECT current_setting('server_version_num')::integer")
            if (version.first?[0].flatMap { Int($0) } ?? 0) >= 150_000 { mergeSQL = merge }
        }
        let writer = try TimescaleBatchWriter(
            connection: connection, table: table, upsert: upsert, mergeSQL: mergeSQL, offsetsTable: offsetsTable,
            maxAttempts: maxAttempts, chunkSize: chunkSize, logger: logger)
        if let offsets = writer.offsetsTable {
            try await connection.execute(
                """
                CREATE TABLE IF NOT EXISTS \(offsets) (
                    consumer_group text NOT NULL, topic text NOT NULL, partition integer NOT NULL,
                    next_offset bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (consumer_group, topic, partition))
                """)
        }
        return writer
    }

    private init(
        connection: TimescaleConnection, table: TimescaleTable, upsert: TimescaleUpsertStatement, mergeSQL: String?,
        offsetsTable: String?, maxAttempts: Int, chunkSize: Int, logger: Logger
    ) throws(TimescaleError) {
        guard maxAttempts >= 1 else { throw .configuration("maxAttempts", "use at least 1") }
        guard chunkSize >= 1 else { throw .configuration("chunkSize", "use at least 1 row") }
        self.connection = connection
        self.table = table
        self.offsetsTable = try offsetsTable.map { name throws(TimescaleError) in
            try SQLTableName(name, setting: "offsetsTable")
        }
        self.maxAttempts = maxAttempts
        self.chunkSize = chunkSize
        self.logger = logger
        self.upsert = upsert
        self.mergeSQL = mergeSQL
    }

    /// Writes `rows` (values in the order of ``TimescaleTable/columns``) and `offsets` in one transaction.
    ///
    /// Rows with the same upsert key in one batch collapse to the last one. A value that does not fit its
    /// column fails the batch with a value-type error naming the column, before anything is committed.
    /// - Returns: Row counts and the number of attempts.
    /// - Throws: Value-type and server errors at once; a connection error after `maxAttempts` tries. A
    ///   configuration error when `offsets` is not empty but the writer has no offsets table.
    @discardableResult
    public func write(_ rows: [TimescaleRow], offsets: [TimescaleOffset] = []) async throws -> TimescaleWriteResult {
        guard offsets.isEmpty || offsetsTable != nil else {
            throw TimescaleError.configuration("offsetsTable", "set it to store offsets with the batch")
        }
        var attempt = 1
        while true {
            do {
                let changed: Int
                do {
                    changed = try await writeOnce(rows, offsets, merge: mergeSQL)
                } catch let error as TimescaleError where mergeSQL != nil && error.sqlState == Self.uniqueViolation {
                    // A concurrent writer inserted one of the keys: ON CONFLICT waits for it and updates instead.
                    changed = try await writeOnce(rows, offsets, merge: nil)
                }
                return TimescaleWriteResult(rowCount: rows.count, changedRowCount: changed, attempts: attempt)
            } catch let error as TimescaleError where error.isRetriable && attempt < maxAttempts {
                logger.warning(
                    "writing a batch failed; retrying",
                    metadata: ["table": "\(table.name)", "error": "\(error)", "attempt": "\(attempt)"])
                attempt += 1
                let isConnected = await connection.isConnected
                if error.isConnectionLost || !isConnected {
                    try await connection.reconnect()
                } else {
                    try await Task.sleep(for: connection.reconnectPolicy.delay(afterFailures: attempt - 1))
                }
            }
        }
    }

    private static let uniqueViolation = "23505"

    /// One transaction of `rows` and `offsets`; keyed chunks go in as `merge` (a `MERGE`) when given.
    private func writeOnce(_ rows: [TimescaleRow], _ offsets: [TimescaleOffset], merge: String?) async throws -> Int {
        let offsetUpserts = offsetUpserts(offsets)
        if table.upsertKeyIdentifiers.isEmpty {
            return try await connection.withTransaction { [table] pg in
                let copied =
                    rows.isEmpty
                    ? 0
                    : try pg.copy(
                        into: table.name, identifiers: table.columnIdentifiers, columns: table.columns, rows: rows)
                for query in offsetUpserts { try pg.execute(query) }
                return copied
            }
        }
        let chunks = chunked(rows[...])
        let statement = merge ?? upsert.sql
        let counts = try await connection.transactionPipeline { [upsert] pipeline throws(TimescaleError) in
            // Sorting a chunk for DISTINCT ON in memory rather than on disk.
            if upsert.isDeduplicating { try pipeline.send("SET LOCAL work_mem = '64MB'") }
            if merge != nil { try Self.sendMergePlannerSettings(&pipeline) }
            for chunk in chunks { try pipeline.send(statement, upsert.parameters(for: rows[chunk])) }
            for query in offsetUpserts { try pipeline.send(query) }
        }
        // SET statements count no rows.
        return counts.dropLast(offsetUpserts.count).reduce(0, +)
    }

    // MARK: - Streaming ahead of the write

    /// Whether ``stream(_:)`` can send rows ahead of the write that commits them: tables with an upsert key whose
    /// repeated keys the client removes (see ``TimescaleUpsertStatement``).
    var isStreamable: Bool { !table.upsertKeyIdentifiers.isEmpty && !upsert.isDeduplicating }

    /// Sends `rows` as one upsert into the connection's open transaction (beginning it if needed) without waiting
    /// for the server: it stores them while the caller gathers more. ``write(_:offsets:streamed:)`` commits them.
    ///
    /// - Returns: The open transaction's id.
    /// - Throws: Value-type and connection errors; the open transaction is then rolled back.
    func stream(_ rows: [TimescaleRow]) async throws -> UInt64 {
        precondition(isStreamable, "stream(_:) needs a table with an upsert key the client can compare")
        return try await connection.sendInOpenTransaction { [upsert, mergeSQL] pipeline throws(TimescaleError) in
            // Settings for the transaction, sent with each chunk: it does not know which chunk comes first.
            if mergeSQL != nil { try Self.sendMergePlannerSettings(&pipeline) }
            try pipeline.send(mergeSQL ?? upsert.sql, upsert.parameters(for: rows[...]))
        }
    }

    /// Writes `rows` and `offsets` in one transaction, like ``write(_:offsets:)``, where the first
    /// `streamed.rowCount` rows were already sent with ``stream(_:)`` into open transaction `streamed.transaction`:
    /// the rest and the offsets go into it, and it commits.
    ///
    /// When that transaction is gone (rolled back by other work on the connection, or lost with it) or fails, the
    /// whole batch is written again with ``write(_:offsets:)``, with its retries: upserts make that harmless.
    func write(
        _ rows: [TimescaleRow], offsets: [TimescaleOffset], streamed: (transaction: UInt64, rowCount: Int)
    ) async throws -> TimescaleWriteResult {
        let offsetUpserts = offsetUpserts(offsets)
        let chunks = chunked(rows[streamed.rowCount...])
        do {
            let counts = try await connection.commitOpenTransaction(streamed.transaction) {
                [upsert, mergeSQL] pipeline throws(TimescaleError) in
                let statement = mergeSQL ?? upsert.sql
                for chunk in chunks { try pipeline.send(statement, upsert.parameters(for: rows[chunk])) }
                for query in offsetUpserts { try pipeline.send(query) }
            }
            let changed = counts.dropLast(offsetUpserts.count).reduce(0, +)
            return TimescaleWriteResult(rowCount: rows.count, changedRowCount: changed, attempts: 1)
        } catch {
            logger.debug(
                "committing the streamed rows failed; writing the batch again",
                metadata: ["table": "\(table.name)", "error": "\(error)"])
            await connection.abandonOpenTransaction()
            return try await write(rows, offsets: offsets)
        }
    }

    private static func sendMergePlannerSettings(_ pipeline: inout LibPQPipeline) throws(TimescaleError) {
        for setting in TimescaleUpsertStatement.mergePlannerSettings { try pipeline.send(setting, []) }
    }

    private func chunked(_ rows: ArraySlice<TimescaleRow>) -> [Range<Int>] {
        stride(from: rows.startIndex, to: rows.endIndex, by: chunkSize).map { $0..<min($0 + chunkSize, rows.endIndex) }
    }

    private func offsetUpserts(_ offsets: [TimescaleOffset]) -> [SQLQuery] {
        offsetsTable.map { table in offsets.map { Self.offsetUpsert($0, into: table) } } ?? []
    }

    private static func offsetUpsert(_ offset: TimescaleOffset, into offsetsTable: SQLTableName) -> SQLQuery {
        """
        INSERT INTO \(offsetsTable) (consumer_group, topic, partition, next_offset)
        VALUES (\(offset.consumerGroup), \(offset.topic), \(offset.partition), \(offset.nextOffset))
        ON CONFLICT (consumer_group, topic, partition)
        DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()
        """
    }

    /// The offsets stored for `consumerGroup` (optionally one topic), ordered by topic and partition.
    ///
    /// A restarted source seeks each partition to its ``TimescaleOffset/nextOffset``; partitions without a row
    /// start from the group's committed position or the source's default.
    /// - Throws: A configuration error when the writer has no offsets table; server and connection errors.
    public func storedOffsets(consumerGroup: String, topic: String? = nil) async throws -> [TimescaleOffset] {
        guard let offsetsTable else {
            throw TimescaleError.configuration("offsetsTable", "set it to store and read offsets")
        }
        let rows = try await connection.execute(
            """
            SELECT topic, partition, next_offset FROM \(offsetsTable)
            WHERE consumer_group = \(consumerGroup) AND (\(topic)::text IS NULL OR topic = \(topic))
            ORDER BY topic, partition
            """)
        return rows.compactMap { row in
            guard let topic = row[0], let partition = row[1].flatMap({ Int32($0) }),
                let next = row[2].flatMap({ Int64($0) })
            else { return nil }
            return TimescaleOffset(consumerGroup: consumerGroup, topic: topic, partition: partition, nextOffset: next)
        }
    }
}
