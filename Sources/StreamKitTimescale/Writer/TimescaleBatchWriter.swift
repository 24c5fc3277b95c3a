import Logging

/// Writes batches of rows into one table idempotently: binary COPY into a staging table, then an upsert,
/// in one transaction, optionally with the consumed offsets.
///
/// Each ``write(_:offsets:)`` runs one transaction:
/// 1. `CREATE TEMP TABLE streamkit_stage (LIKE target INCLUDING DEFAULTS) ON COMMIT DROP`
/// 2. `COPY streamkit_stage (columns) FROM STDIN (FORMAT binary)`
/// 3. `INSERT INTO target SELECT DISTINCT ON (key) … ORDER BY key, ctid DESC ON CONFLICT (key) DO UPDATE`,
///    so the last row per key in the batch wins and rows whose values did not change are not rewritten
/// 4. with offsets: an upsert of each `(consumer_group, topic, partition, next_offset)` into the offsets table
///
/// When the connection is lost (a restart, a failover, `pg_terminate_backend`), the writer reconnects with the
/// connection's backoff and runs the whole batch again. The upsert key makes that harmless: nothing is lost and
/// nothing is duplicated, even when the first `COMMIT` did succeed before the connection dropped. A table
/// without an upsert key is append-only and not idempotent on retry.
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

    private let logger: Logger
    private let stage: SQLIdentifier
    private let createStageSQL: SQLQuery
    private let upsertSQL: SQLQuery
    private let upsertDistinctSQL: SQLQuery
    private let keyIndices: [Int]
    /// Whether the key's binary form decides equality as PostgreSQL does; false for floats (-0 = 0, NaN = NaN),
    /// numeric (1.0 = 1.00) and jsonb (spacing), whose duplicates only the server can find.
    private let isKeyComparableInBinary: Bool

    /// Makes a writer for `table`, creating the offsets table when `offsetsTable` is given.
    ///
    /// Create the target first with ``TimescaleConnection/ensureSchema(for:)``.
    /// - Parameters:
    ///   - offsetsTable: The table for exactly-once offsets (`streamkit_offsets` by convention), or `nil` for
    ///     at-least-once writing without offsets.
    ///   - maxAttempts: Transactions tried per batch; each retry after a lost connection reconnects first.
    /// - Throws: A configuration error for an invalid offsets table name; server and connection errors.
    public static func make(
        connection: TimescaleConnection, table: TimescaleTable, offsetsTable: String? = nil, maxAttempts: Int = 5,
        logger: Logger = Logger(label: "StreamKitTimescale")
    ) async throws -> TimescaleBatchWriter {
        let writer = try TimescaleBatchWriter(
            connection: connection, table: table, offsetsTable: offsetsTable, maxAttempts: maxAttempts, logger: logger)
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
        connection: TimescaleConnection, table: TimescaleTable, offsetsTable: String?, maxAttempts: Int, logger: Logger
    ) throws(TimescaleError) {
        guard maxAttempts >= 1 else { throw .configuration("maxAttempts", "use at least 1") }
        self.connection = connection
        self.table = table
        self.offsetsTable = try offsetsTable.map { name throws(TimescaleError) in
            try SQLTableName(name, setting: "offsetsTable")
        }
        self.maxAttempts = maxAttempts
        self.logger = logger
        stage = try SQLIdentifier("streamkit_stage")
        createStageSQL = "CREATE TEMP TABLE \(stage) (LIKE \(table.name) INCLUDING DEFAULTS) ON COMMIT DROP"
        upsertSQL = Self.upsertSQL(table, stage: stage, deduplicating: false)
        upsertDistinctSQL = Self.upsertSQL(table, stage: stage, deduplicating: true)
        keyIndices = table.upsertKey.compactMap { name in table.columns.firstIndex { $0.name == name } }
        isKeyComparableInBinary = keyIndices.allSatisfy {
            ![.float32, .float64, .numeric, .jsonb].contains(table.columns[$0].type.kind)
        }
    }

    /// The staging table is new in each transaction and filled by one COPY only, so its rows sit in the heap
    /// in COPY order and `ctid` orders them like the batch (an identity column would cost a sequence call a row).
    /// With `deduplicating`, the last row per key wins (`DISTINCT ON`); without, the batch must hold each key once.
    static func upsertSQL(_ table: TimescaleTable, stage: SQLIdentifier, deduplicating: Bool) -> SQLQuery {
        let columns = table.columnIdentifiers
        let key = table.upsertKeyIdentifiers
        let keyNames = Set(key)
        let updated = columns.filter { !keyNames.contains($0) }
        var sql: SQLQuery = "INSERT INTO \(table.name) AS streamkit_target (\(identifiers: columns)) "
        if deduplicating {
            sql = sql + """
                SELECT DISTINCT ON (\(identifiers: key)) \(identifiers: columns) FROM \(stage)
                ORDER BY \(identifiers: key), ctid DESC
                """
        } else {
            sql = sql + "SELECT \(identifiers: columns) FROM \(stage)"
        }
        if updated.isEmpty {
            sql = sql + " ON CONFLICT (\(identifiers: key)) DO NOTHING"
        } else {
            let assignments = updated.map { "\($0.quoted) = EXCLUDED.\($0.quoted)" }.joined(separator: ", ")
            let current = updated.map { "streamkit_target.\($0.quoted)" }.joined(separator: ", ")
            let incoming = updated.map { "EXCLUDED.\($0.quoted)" }.joined(separator: ", ")
            // Only validated, quoted identifiers are spliced here.
            sql =
                sql + """
                     ON CONFLICT (\(identifiers: key)) DO UPDATE SET \(unsafeRaw: assignments)
                     WHERE (\(unsafeRaw: current)) IS DISTINCT FROM (\(unsafeRaw: incoming))
                    """
        }
        return sql
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
                let changed = try await connection.withTransaction { pg in try writeOnce(pg, rows, offsets) }
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

    private func writeOnce(
        _ pg: isolated TimescaleConnection, _ rows: [TimescaleRow], _ offsets: [TimescaleOffset]
    ) throws(TimescaleError) -> Int {
        var changed = 0
        if !rows.isEmpty {
            if table.upsertKeyIdentifiers.isEmpty {
                changed = try pg.copy(
                    into: table.name, identifiers: table.columnIdentifiers, columns: table.columns, rows: rows)
            } else {
                try pg.execute(createStageSQL)

                _ = try pg.copy(
                    into: SQLTableName(name: stage), identifiers: table.columnIdentifiers, columns: table.columns,
                    rows: rows)
                if mayRepeatKeys(rows) {
                    // Sorting the batch for DISTINCT ON in memory rather than on disk.
                    try pg.execute("SET LOCAL work_mem = '64MB'")
                    changed = try pg.execute(upsertDistinctSQL).affectedRowCount
                } else {
                    changed = try pg.execute(upsertSQL).affectedRowCount
                }
            }
        }
        if let offsetsTable {
            for offset in offsets {
                try pg.execute(
                    """
                    INSERT INTO \(offsetsTable) (consumer_group, topic, partition, next_offset)
                    VALUES (\(offset.consumerGroup), \(offset.topic), \(offset.partition), \(offset.nextOffset))
                    ON CONFLICT (consumer_group, topic, partition)
                    DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()
                    """)
            }
        }
        return changed
    }

    /// Whether two rows may share an upsert key, in which case the server deduplicates (a sort of the batch).
    ///
    /// Compares the keys' binary encodings, which is exactly PostgreSQL's equality for integers, text (with a
    /// deterministic collation), timestamps, booleans and UUIDs; other key types always take the server path.
    private func mayRepeatKeys(_ rows: [TimescaleRow]) -> Bool {
        guard isKeyComparableInBinary else { return true }
        var seen = Set<[UInt8]>(minimumCapacity: rows.count)
        var key: [UInt8] = []
        for row in rows {
            key.removeAll(keepingCapacity: true)
            for index in keyIndices {
                guard index < row.values.count,
                    let value = row.values[index].converted(to: table.columns[index].type.kind),
                    (try? value.appendField(to: &key)) != nil
                else { return true }  // the COPY will report the bad value
            }
            if !seen.insert(key).inserted { return true }
        }
        return false
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
