import Logging
import StreamKit
import Synchronization

/// A StreamKit sink that writes a frame's values into a PostgreSQL or TimescaleDB table.
///
/// `append` only turns the value into a row (``TimescaleRowEncoder``, property names in snake_case) and
/// buffers it. `flush(checkpoint:)`, which the runtime calls at every checkpoint before committing the source
/// offsets, writes the whole buffer in one transaction through ``TimescaleBatchWriter``: upserts on the table's
/// key, a chunk of rows per statement, all in one round trip, retried after a lost connection. The table and its
/// TimescaleDB features are created on the first flush (or by ``prepare()``); on plain PostgreSQL the skipped
/// features are logged once.
///
///     let pg = try TimescaleConnection(url)   // connects on first use
///     app.dataframe(ticks)
///         .tumblingWindow(.seconds(1), grace: .milliseconds(200))
///         .aggregate(into: Bar.empty) { bar, tick in bar.add(tick) }
///         .final()
///         .to(try TimescaleSink(table: "bars_1s", on: pg, upsertKey: ["symbol", "window_start"], row: BarRow.init))
///
/// where `BarRow` is a `Codable` struct with `symbol`, `windowStart` (an `EventTime`, stored as `timestamptz`)
/// and the aggregate's fields, made from a `WindowResult<String, Bar>`. Its properties are the table's columns.
///
/// **Writing while rows come.** In an at-least-once app the runtime hands each checkpoint's rows to a write that
/// runs in the background (``detachFlush(checkpoint:)``): the database stores one batch while the pipeline
/// gathers the next, and the source offsets are committed once that write succeeded. Where the runtime flushes in
/// place (an exactly-once app, or before the first flush), each full chunk of 10 000 buffered rows on a table
/// with an upsert key is sent into an open transaction right away, on the connection's thread, and the flush
/// sends the rest and commits. Anything else on the connection meanwhile rolls that transaction back, and the
/// flush then writes the whole buffer again.
///
/// **Batching and backpressure.** The sink reports ``isBackpressured`` once it holds `batchSize` rows, or when
/// its oldest row has waited `maxBatchAge`; the runtime then pauses the sources and flushes, so memory stays
/// bounded by about one batch per checkpoint interval.
///
/// **Guarantees.** At least once (the default), a crash replays the records since the last checkpoint and the
/// upsert key keeps the table exact. With ``TimescaleSinkGuarantee/exactlyOnce(group:offsetsTable:)`` each
/// checkpoint's flush stores the next source offsets in the same transaction as the rows, and
/// ``storedOffsets(for:)`` hands them to the runtime on partition assignment, so the sources resume exactly
/// after the last committed batch. In an app that is itself `.exactlyOnce`, the runtime resumes from its Kafka
/// transaction's offsets instead (they match its restored state) and the sink skips the replayed values it
/// already stored. A backpressure flush, which carries no offsets, writes its rows ahead of
/// the checkpoint that covers them; after a crash they are written again, identically.
///
/// Flushes are expected one at a time, as the runtime makes them.
public final class TimescaleSink<Value: Sendable>: StreamSink {
    /// The table written to.
    public let table: TimescaleTable
    /// The connection the sink writes through; it reconnects with the connection's backoff.
    public let connection: TimescaleConnection
    /// At least once, or exactly once with offsets in the database.
    public let guarantee: TimescaleSinkGuarantee
    /// Rows buffered before the sink asks the runtime for a flush.
    public let batchSize: Int
    /// The longest a buffered row waits before the sink asks for a flush; `nil` waits for the checkpoint.
    public let maxBatchAge: Duration?

    private struct Buffer {
        var rows: [TimescaleRow] = []
        var oldest: ContinuousClock.Instant?
        var statistics = TimescaleSinkStatistics()
        /// Exactly once: per partition, the next offset stored in the database when the partition was assigned.
        /// Values from records before it are already in the table (written with those offsets), so a source
        /// that did not seek there, or not in time, replays them without effect.
        var fence: [TopicPartition: Int64] = [:]
        /// The rows at the front of `rows` already sent into the connection's open transaction `transaction`.
        var streamed: (transaction: UInt64, rowCount: Int)?
        /// The task sending chunks of `rows` ahead of the flush, while there are full chunks to send.
        var streaming: Task<Void, Never>?
        /// Set when sending ahead failed: the flush then writes the whole batch.
        var isStreamBroken = false
        /// Set once the runtime writes batches in the background (``detachFlush(checkpoint:)``): rows are no
        /// longer sent ahead.
        var isDetaching = false
    }

    private struct Prepared {
        var writer: TimescaleBatchWriter
        var report: TimescaleSchemaReport
    }

    /// Rows per statement, and per chunk sent ahead of the flush.
    private static var chunkRows: Int { 10_000 }

    private let makeRow: @Sendable (Value) throws -> TimescaleRow
    private let maxAttempts: Int
    private let logger: Logger
    private let buffer = Mutex(Buffer())
    private let prepared = Mutex<Prepared?>(nil)

    private init(
        table: TimescaleTable, connection: TimescaleConnection, guarantee: TimescaleSinkGuarantee, batchSize: Int,
        maxBatchAge: Duration?, maxAttempts: Int, logger: Logger,
        makeRow: @escaping @Sendable (Value) throws -> TimescaleRow
    ) throws(TimescaleError) {
        guard batchSize >= 1 else { throw .configuration("batchSize", "use at least 1 row") }
        if let maxBatchAge, maxBatchAge <= .zero {
            throw .configuration("maxBatchAge", "use a positive duration, or nil to flush at checkpoints only")
        }
        guard maxAttempts >= 1 else { throw .configuration("maxAttempts", "use at least 1") }
        if let group = guarantee.consumerGroup, group.isEmpty {
            throw .configuration("guarantee", "exactlyOnce needs the app's name as its group")
        }
        if let offsetsTable = guarantee.offsetsTable {
            _ = try SQLTableName(offsetsTable, setting: "guarantee.offsetsTable")
        }
        self.table = table
        self.connection = connection
        self.guarantee = guarantee
        self.batchSize = batchSize
        self.maxBatchAge = maxBatchAge
        self.maxAttempts = maxAttempts
        self.logger = logger
        self.makeRow = makeRow
    }

    // MARK: - Making a sink

    /// Makes a sink that writes each value as one row of `table`, its properties filling the columns of the
    /// same snake_case name.
    ///
    /// - Parameters:
    ///   - table: The table description; created on the first flush when missing.
    ///   - connection: Shared with other work only if that tolerates the sink's reconnects.
    ///   - guarantee: `.atLeastOnce` (default) or `.exactlyOnce(group: app.name)`.
    ///   - batchSize: Rows buffered before the sink asks for a flush.
    ///   - maxBatchAge: How long a buffered row may wait before the sink asks for a flush; `nil` for checkpoints only.
    ///   - maxAttempts: Transactions tried per flush; each retry after a lost connection reconnects first.
    ///   - logger: Receives retry warnings; never values or credentials.
    /// - Throws: A configuration error naming the setting (`batchSize`, `maxBatchAge`, `guarantee`…).
    public convenience init(
        table: TimescaleTable, on connection: TimescaleConnection, guarantee: TimescaleSinkGuarantee = .atLeastOnce,
        batchSize: Int = 10_000, maxBatchAge: Duration? = .seconds(1), maxAttempts: Int = 5,
        logger: Logger = Logger(label: "StreamKitTimescale")
    ) throws(TimescaleError) where Value: Encodable {
        let encoder = TimescaleRowEncoder(table: table, keyStrategy: .convertToSnakeCase)
        try self.init(
            table: table, connection: connection, guarantee: guarantee, batchSize: batchSize, maxBatchAge: maxBatchAge,
            maxAttempts: maxAttempts, logger: logger, makeRow: { try encoder.encode($0) })
    }

    /// Makes a sink that maps each value to a row type first: the way to store window results, or any value
    /// whose stored form differs from its in-memory one.
    ///
    ///     TimescaleSink(table: bars, on: pg) { (r: WindowResult<String, Bar>) in
    ///         BarRow(symbol: r.key, windowStart: r.start, windowEnd: r.end, count: r.value.count, meanMid: r.value.meanMid)
    ///     }
    ///
    /// - Parameters:
    ///   - table: The table description; its columns are the properties of `Row`.
    ///   - connection: Shared with other work only if that tolerates the sink's reconnects.
    ///   - guarantee: `.atLeastOnce` (default) or `.exactlyOnce(group: app.name)`.
    ///   - batchSize: Rows buffered before the sink asks for a flush.
    ///   - maxBatchAge: How long a buffered row may wait before the sink asks for a flush; `nil` for checkpoints only.
    ///   - maxAttempts: Transactions tried per flush; each retry after a lost connection reconnects first.
    ///   - logger: Receives retry warnings; never values or credentials.
    ///   - row: Runs on the hot path for every value; keep it free of I/O. Throwing follows the app's error policy
    ///     for the record.
    public convenience init<Row: Encodable & Sendable>(
        table: TimescaleTable, on connection: TimescaleConnection, guarantee: TimescaleSinkGuarantee = .atLeastOnce,
        batchSize: Int = 10_000, maxBatchAge: Duration? = .seconds(1), maxAttempts: Int = 5,
        logger: Logger = Logger(label: "StreamKitTimescale"), row: @escaping @Sendable (Value) throws -> Row
    ) throws(TimescaleError) {
        let encoder = TimescaleRowEncoder(table: table, keyStrategy: .convertToSnakeCase)
        try self.init(
            table: table, connection: connection, guarantee: guarantee, batchSize: batchSize, maxBatchAge: maxBatchAge,
            maxAttempts: maxAttempts, logger: logger, makeRow: { try encoder.encode(row($0)) })
    }

    /// Makes a sink that builds each value's row itself, values in the order of `table.columns`: the fastest way
    /// in, without `Codable`.
    ///
    ///     TimescaleSink(table: ticks, on: pg) { (tick: Tick) in
    ///         [.text(tick.symbol), .float64(tick.bid), .timestamptz(.init(millisecondsSinceUnixEpoch: tick.tsEventMs))]
    ///     }
    ///
    /// - Parameters:
    ///   - table: The table description; `makeRow` fills its columns in order.
    ///   - connection: Shared with other work only if that tolerates the sink's reconnects.
    ///   - guarantee: `.atLeastOnce` (default) or `.exactlyOnce(group: app.name)`.
    ///   - batchSize: Rows buffered before the sink asks for a flush.
    ///   - maxBatchAge: How long a buffered row may wait before the sink asks for a flush; `nil` for checkpoints only.
    ///   - maxAttempts: Transactions tried per flush; each retry after a lost connection reconnects first.
    ///   - logger: Receives retry warnings; never values or credentials.
    ///   - makeRow: Runs on the hot path for every value; keep it free of I/O. Throwing follows the app's error
    ///     policy for the record, as does a row whose value count, value types or `NULL`s do not fit the table's
    ///     columns (a value-type ``TimescaleError`` naming the column).
    public convenience init(
        table: TimescaleTable, on connection: TimescaleConnection, guarantee: TimescaleSinkGuarantee = .atLeastOnce,
        batchSize: Int = 10_000, maxBatchAge: Duration? = .seconds(1), maxAttempts: Int = 5,
        logger: Logger = Logger(label: "StreamKitTimescale"),
        makeRow: @escaping @Sendable (Value) throws -> TimescaleRow
    ) throws(TimescaleError) {
        try self.init(
            table: table, connection: connection, guarantee: guarantee, batchSize: batchSize, maxBatchAge: maxBatchAge,
            maxAttempts: maxAttempts, logger: logger, makeRow: { try Self.checked(makeRow($0), for: table) })
    }

    /// `row` when it fits `table`'s columns: as many values, each convertible to its column's type, and no `NULL`
    /// in a `NOT NULL` column.
    private static func checked(_ row: TimescaleRow, for table: TimescaleTable) throws(TimescaleError) -> TimescaleRow {
        guard row.values.count == table.columns.count else {
            throw TimescaleError(
                code: .valueType, message: "row has \(row.values.count) values for \(table.columns.count) columns")
        }
        for (index, (column, value)) in zip(table.columns, row.values).enumerated() {
            var problem: String?
            if case .null = value {
                if table.isNotNull[index] { problem = "no value for a NOT NULL column" }
            } else if value.converted(to: column.type.kind) == nil {
                problem = "a \(value.typeName) value does not fit column type \(column.type)"
            }
            if let problem {
                var error = TimescaleError(code: .valueType, message: problem)
                error.column = column.name
                throw error
            }
        }
        return row
    }

    /// Makes a sink for a table whose columns are the stored properties of `Value` (see
    /// ``TimescaleTable/init(name:rowType:upsertKey:timeColumn:chunkInterval:compression:retention:continuousAggregates:)``),
    /// with TimescaleDB's default compression and retention when `timeColumn` makes it a hypertable.
    ///
    ///     .to(try TimescaleSink(table: "ticks", on: pg, upsertKey: ["symbol", "sequence"]))
    ///
    /// - Parameters:
    ///   - table: `"name"` or `"schema.name"`.
    ///   - upsertKey: Column names (snake_case) of the primary key; a replayed row with the same key replaces
    ///     the stored one. Empty means append-only, which is exact only with `.exactlyOnce`.
    ///   - timeColumn: The hypertable's time column, which must be in a non-empty upsert key; `nil` for a plain table.
    ///   - connection: Shared with other work only if that tolerates the sink's reconnects.
    ///   - guarantee: `.atLeastOnce` (default) or `.exactlyOnce(group: app.name)`.
    ///   - batchSize: Rows buffered before the sink asks for a flush.
    ///   - maxBatchAge: How long a buffered row may wait before the sink asks for a flush; `nil` for checkpoints only.
    ///   - maxAttempts: Transactions tried per flush; each retry after a lost connection reconnects first.
    ///   - logger: Receives retry warnings; never values or credentials.
    /// - Throws: A configuration error naming the setting: `table` for an invalid name, `upsertKey` or
    ///   `timeColumn` for a column `Value` does not have, `rowType` when `Value` is not a struct of named properties.
    public convenience init(
        table: String, on connection: TimescaleConnection, upsertKey: [String], timeColumn: String? = nil,
        guarantee: TimescaleSinkGuarantee = .atLeastOnce, batchSize: Int = 10_000, maxBatchAge: Duration? = .seconds(1),
        maxAttempts: Int = 5, logger: Logger = Logger(label: "StreamKitTimescale")
    ) throws(TimescaleError) where Value: Codable {
        try self.init(
            table: TimescaleTable(name: table, rowType: Value.self, upsertKey: upsertKey, timeColumn: timeColumn),
            on: connection, guarantee: guarantee, batchSize: batchSize, maxBatchAge: maxBatchAge,
            maxAttempts: maxAttempts, logger: logger)
    }

    /// Makes a sink that maps each value to `Row`, for a table whose columns are the stored properties of `Row`:
    /// the shortest way to store window results.
    ///
    ///     .to(try TimescaleSink(table: "bars_1s", on: pg, upsertKey: ["symbol", "window_start"], row: BarRow.init))
    ///
    /// See ``init(table:on:upsertKey:timeColumn:guarantee:batchSize:maxBatchAge:maxAttempts:logger:)`` for the
    /// table parameters and ``init(table:on:guarantee:batchSize:maxBatchAge:maxAttempts:logger:row:)`` for `row`.
    public convenience init<Row: Codable & Sendable>(
        table: String, on connection: TimescaleConnection, upsertKey: [String], timeColumn: String? = nil,
        guarantee: TimescaleSinkGuarantee = .atLeastOnce, batchSize: Int = 10_000, maxBatchAge: Duration? = .seconds(1),
        maxAttempts: Int = 5, logger: Logger = Logger(label: "StreamKitTimescale"),
        row: @escaping @Sendable (Value) throws -> Row
    ) throws(TimescaleError) {
        try self.init(
            table: TimescaleTable(name: table, rowType: Row.self, upsertKey: upsertKey, timeColumn: timeColumn),
            on: connection, guarantee: guarantee, batchSize: batchSize, maxBatchAge: maxBatchAge,
            maxAttempts: maxAttempts, logger: logger, row: row)
    }

    // MARK: - StreamSink

    /// Maps `value` to a row and buffers it; no I/O.
    ///
    /// - Throws: A value-type ``TimescaleError`` naming the column when a property does not fit it or a
    ///   `NOT NULL` column gets no value; the app's error policy decides what happens to the record.
    public func append(_ value: Value, context: SinkContext) throws {
        let row = try makeRow(value)
        buffer.withLock { buffer in
            if !buffer.fence.isEmpty, let position = context.position,
                position.offset < buffer.fence[position.topicPartition] ?? .min
            {
                buffer.statistics.skippedReplayCount += 1
                return
            }
            if buffer.rows.isEmpty { buffer.oldest = .now }
            buffer.rows.append(row)
            if buffer.streaming == nil, !buffer.isStreamBroken, !buffer.isDetaching,
                buffer.rows.count - (buffer.streamed?.rowCount ?? 0) >= Self.chunkRows
            {
                startStreaming(&buffer)
            }
        }
    }

    /// Writes every buffered row in one transaction, with the checkpoint's offsets in exactly-once mode.
    ///
    /// Creates the table on the first call. On failure the rows stay buffered, in order, for the next flush.
    /// - Throws: Server and connection errors after the writer's retries; a configuration error when an
    ///   exactly-once sink is flushed by an app other than its `group`.
    public func flush(checkpoint: SinkCheckpoint) async throws {
        let writer = try await preparedWriter()
        var offsets: [TimescaleOffset] = []
        if let group = guarantee.consumerGroup {
            guard checkpoint.group == group else {
                throw TimescaleError.configuration(
                    "guarantee",
                    "the sink stores offsets for group \"\(group)\" but app \"\(checkpoint.group)\" flushed it")
            }
            offsets = checkpoint.nextOffsets.sorted { $0.key < $1.key }.map { partition, next in
                TimescaleOffset(
                    consumerGroup: group, topic: partition.topic, partition: Int32(partition.partition),
                    nextOffset: next)
            }
        }
        // Appends stop while the runtime flushes, so once the chunk on its way is sent, nothing else is.
        await buffer.withLock { $0.streaming }?.value
        let batch = buffer.withLock { Self.takeBatch(&$0) }
        guard !batch.rows.isEmpty || !offsets.isEmpty else { return }
        try await write(batch, offsets: offsets, with: writer)
    }

    /// At least once, hands the buffered rows over to a write that runs while the pipeline goes on, so the database
    /// stores a batch while the next one is gathered; `nil` (flush in place) for an exactly-once sink, before the
    /// first flush made the table, and while rows were sent ahead of the flush.
    ///
    /// Offsets stored in the database are where a restarted app resumes, so an exactly-once sink writes them in
    /// place, in step with the rest of the checkpoint. From the first call on the sink no longer sends rows ahead
    /// of the flush: the connection is busy with the previous batch's write while the next one fills.
    public func detachFlush(checkpoint: SinkCheckpoint) -> SinkWrite? {
        guard guarantee.consumerGroup == nil, let writer = prepared.withLock({ $0?.writer }) else { return nil }
        let batch = buffer.withLock { buffer -> Batch? in
            buffer.isDetaching = true
            guard buffer.streaming == nil, buffer.streamed == nil else { return nil }
            return Self.takeBatch(&buffer)
        }
        guard let batch else { return nil }
        guard !batch.rows.isEmpty else { return SinkWrite.none }
        return SinkWrite { [self] in try await write(batch, offsets: [], with: writer) }
    }

    /// The rows of one flush, taken from the buffer, with what was sent of them ahead.
    private struct Batch: Sendable {
        var rows: [TimescaleRow]
        var oldest: ContinuousClock.Instant?
        var streamed: (transaction: UInt64, rowCount: Int)?
    }

    /// Empties the buffer into a batch; the rows sent ahead count only while sending ahead had not broken.
    private static func takeBatch(_ buffer: inout Buffer) -> Batch {
        var rows: [TimescaleRow] = []
        swap(&rows, &buffer.rows)
        defer {
            buffer.oldest = nil
            buffer.streamed = nil
            buffer.isStreamBroken = false
        }
        return Batch(rows: rows, oldest: buffer.oldest, streamed: buffer.isStreamBroken ? nil : buffer.streamed)
    }

    /// Writes a batch in one transaction with `offsets`; on failure its rows go back to the front of the buffer, in
    /// order, for the next flush.
    private func write(_ batch: Batch, offsets: [TimescaleOffset], with writer: TimescaleBatchWriter) async throws {
        do {
            let result =
                if let streamed = batch.streamed {
                    // The chunks sent ahead of the flush are in an open transaction: the rest joins them.
                    try await writer.write(batch.rows, offsets: offsets, streamed: streamed)
                } else {
                    try await writer.write(batch.rows, offsets: offsets)
                }
            buffer.withLock { buffer in
                buffer.statistics.flushCount += 1
                buffer.statistics.writtenRowCount += result.rowCount
                buffer.statistics.changedRowCount += result.changedRowCount
            }
        } catch {
            buffer.withLock { buffer in
                if !batch.rows.isEmpty { buffer.oldest = batch.oldest ?? buffer.oldest }
                buffer.rows = batch.rows + buffer.rows
            }
            throw error
        }
    }

    // MARK: - Streaming ahead of the flush

    /// Starts the task that sends full chunks of the buffer into an open transaction while more rows come, so the
    /// database stores them in parallel with the pipeline and the flush only sends the rest and commits. Tables
    /// whose writer cannot do that (no upsert key, keys only the server can compare) wait for the flush.
    private func startStreaming(_ state: inout Buffer) {
        guard let writer = prepared.withLock({ $0?.writer }), writer.isStreamable else { return }
        state.streaming = Task { [self] in
            while let (chunk, transaction) = nextChunk() {
                do {
                    let id = try await writer.stream(chunk)
                    buffer.withLock { buffer in
                        buffer.streamed = (id, (buffer.streamed?.rowCount ?? 0) + chunk.count)
                        if let transaction, transaction != id { buffer.isStreamBroken = true }
                    }
                } catch {
                    buffer.withLock { $0.isStreamBroken = true }
                }
            }
        }
    }

    /// The next full chunk to send ahead, with the transaction the chunks before it went into; `nil` (and the
    /// streaming task ends) when there is none or sending ahead broke.
    private func nextChunk() -> ([TimescaleRow], UInt64?)? {
        buffer.withLock { buffer in
            let start = buffer.streamed?.rowCount ?? 0
            guard !buffer.isStreamBroken, buffer.rows.count - start >= Self.chunkRows else {
                buffer.streaming = nil
                return nil
            }
            return (Array(buffer.rows[start..<start + Self.chunkRows]), buffer.streamed?.transaction)
        }
    }

    /// Whether the buffer holds `batchSize` rows, or its oldest row has waited `maxBatchAge`.
    public var isBackpressured: Bool {
        buffer.withLock { buffer in
            if buffer.rows.count >= batchSize { return true }
            guard let maxBatchAge, let oldest = buffer.oldest else { return false }
            return oldest.duration(to: .now) >= maxBatchAge
        }
    }

    /// In exactly-once mode, the next offsets stored for `partitions` by the sink's group (partitions never
    /// written are left out); `nil` at least once, so the runtime uses the broker's committed offsets.
    ///
    /// The sink also remembers them: values from records before these offsets, which the table already holds,
    /// are skipped by ``append(_:context:)`` if the source replays them anyway.
    ///
    /// - Throws: Server and connection errors; the runtime then fails the assignment.
    public func storedOffsets(for partitions: [TopicPartition]) async throws -> [TopicPartition: Int64]? {
        guard let group = guarantee.consumerGroup else { return nil }
        let wanted = Set(partitions)
        var result: [TopicPartition: Int64] = [:]
        for offset in try await preparedWriter().storedOffsets(consumerGroup: group) {
            let partition = TopicPartition(topic: offset.topic, partition: Int(offset.partition))
            if wanted.contains(partition) { result[partition] = offset.nextOffset }
        }
        buffer.withLock { $0.fence.merge(result) { max($0, $1) } }
        return result
    }

    // MARK: - Setup and state

    /// Connects if needed and creates the table, its TimescaleDB features and the offsets table; runs once.
    ///
    /// The first flush calls it; call it yourself to fail at startup rather than at the first checkpoint.
    /// - Returns: What was set up and which TimescaleDB features were skipped (logged once as a warning).
    /// - Throws: Connection and server errors.
    @discardableResult
    public func prepare() async throws -> TimescaleSchemaReport {
        try await prepareOnce().report
    }

    private func preparedWriter() async throws -> TimescaleBatchWriter {
        try await prepareOnce().writer
    }

    private func prepareOnce() async throws -> Prepared {
        if let done = prepared.withLock({ $0 }) { return done }
        if await !connection.isConnected { try await connection.reconnect() }
        // Both steps are idempotent, so two racing first calls do no harm; the first result is kept.
        let report = try await connection.ensureSchema(for: table)
        let writer = try await TimescaleBatchWriter.make(
            connection: connection, table: table, offsetsTable: guarantee.offsetsTable, maxAttempts: maxAttempts,
            chunkSize: Self.chunkRows, logger: logger)
        return prepared.withLock { prepared in
            if prepared == nil { prepared = Prepared(writer: writer, report: report) }
            return prepared!
        }
    }

    /// What the sink has written and holds.
    public var statistics: TimescaleSinkStatistics {
        buffer.withLock { buffer in
            var statistics = buffer.statistics
            statistics.bufferedRowCount = buffer.rows.count
            return statistics
        }
    }
}
