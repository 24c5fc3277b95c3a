/// The one statement that upserts a chunk of a batch: each column bound as one array in binary, unnested on the
/// server, so a chunk of thousands of rows is one `INSERT` with as many parameters as the table has columns.
///
///     INSERT INTO "ticks" AS streamkit_target ("symbol", "sequence", "bid")
///     SELECT * FROM unnest($1, $2, $3)
///     ON CONFLICT ("symbol", "sequence") DO UPDATE SET "bid" = EXCLUDED."bid"
///     WHERE (streamkit_target."bid") IS DISTINCT FROM (EXCLUDED."bid")
///
/// PostgreSQL refuses to update one row twice in one statement, so a chunk must hold each key once. When the
/// key's binary form decides equality as PostgreSQL does (integers, text, timestamps, booleans, UUIDs), the
/// client keeps the last row per key (``survivingRows(of:)``); for the other key types (floats: -0 = 0;
/// numeric: 1.0 = 1.00; jsonb: spacing) the statement does it, with `DISTINCT ON` over the rows' positions.
///
/// **The `MERGE` form.** Where the client removes repeated keys, the same chunk can also go in as a `MERGE`
/// (PostgreSQL 15) with the same parameters (``mergeSQL``):
///
///     MERGE INTO "ticks" AS streamkit_target
///     USING unnest($1, $2, $3) AS streamkit_batch ("symbol", "sequence", "bid")
///     ON streamkit_target."symbol" = streamkit_batch."symbol"
///         AND streamkit_target."sequence" = streamkit_batch."sequence"
///     WHEN MATCHED AND (streamkit_target."bid") IS DISTINCT FROM (streamkit_batch."bid")
///     THEN UPDATE SET "bid" = streamkit_batch."bid"
///     WHEN NOT MATCHED THEN INSERT ("symbol", "sequence", "bid") VALUES (streamkit_batch."symbol", …)
///
/// It stores new rows with plain inserts instead of `ON CONFLICT`'s speculative insertion (an extra index
/// probe and WAL record per row), which makes a chunk of new rows markedly cheaper for the server. Run it with
/// ``mergePlannerSettings`` so that each row is a probe of the key's index, as `ON CONFLICT` does, whatever
/// the table's statistics say. A concurrent writer inserting the same key makes it fail with `unique_violation`
/// where `ON CONFLICT` would wait and update: the writer then writes the batch again with ``sql``.
struct TimescaleUpsertStatement: Sendable {
    let sql: String
    /// The `MERGE` form of ``sql`` (same parameters), or `nil` when the statement deduplicates itself.
    let mergeSQL: String?
    /// Whether the statement keeps the last row per key itself, with a sort of each chunk.
    let isDeduplicating: Bool
    private let table: TimescaleTable
    private let keyIndices: [Int]
    private let isKeyComparableInBinary: Bool

    init(_ table: TimescaleTable) {
        self.table = table
        keyIndices = table.upsertKey.compactMap { name in table.columns.firstIndex { $0.name == name } }
        isKeyComparableInBinary = keyIndices.allSatisfy {
            ![.float32, .float64, .numeric, .jsonb].contains(table.columns[$0].type.kind)
        }
        isDeduplicating = !isKeyComparableInBinary
        sql = Self.sql(table, deduplicating: isDeduplicating).sql
        mergeSQL = isDeduplicating || table.upsertKeyIdentifiers.isEmpty ? nil : Self.mergeSQL(table).sql
    }

    /// Settings sent (`SET LOCAL`) in a transaction before its `MERGE` chunks: a nested loop over the chunk with
    /// an index probe per row, never a hash or merge join that would read the whole table for each chunk when
    /// its statistics are stale (a table that grew since the last `ANALYZE`).
    static let mergePlannerSettings = ["SET LOCAL enable_hashjoin = off", "SET LOCAL enable_mergejoin = off"]

    /// The `MERGE` statement of a chunk whose keys are distinct; only validated, quoted identifiers are spliced in.
    static func mergeSQL(_ table: TimescaleTable) -> SQLQuery {
        let columns = table.columnIdentifiers
        let key = table.upsertKeyIdentifiers
        let keyNames = Set(key)
        let updated = columns.filter { !keyNames.contains($0) }
        let arrays = (1...columns.count).map { "$\($0)" }.joined(separator: ", ")
        func batch(_ column: SQLIdentifier) -> String { "streamkit_batch.\(column.quoted)" }
        let match = key.map { "streamkit_target.\($0.quoted) = \(batch($0))" }.joined(separator: " AND ")
        let values = columns.map(batch).joined(separator: ", ")
        var sql: SQLQuery = """
            MERGE INTO \(table.name) AS streamkit_target
            USING unnest(\(unsafeRaw: arrays)) AS streamkit_batch (\(identifiers: columns))
            ON \(unsafeRaw: match)
            """
        if !updated.isEmpty {
            let assignments = updated.map { "\($0.quoted) = \(batch($0))" }.joined(separator: ", ")
            let current = updated.map { "streamkit_target.\($0.quoted)" }.joined(separator: ", ")
            let incoming = updated.map(batch).joined(separator: ", ")
            sql =
                sql + """
                     WHEN MATCHED AND (\(unsafeRaw: current)) IS DISTINCT FROM (\(unsafeRaw: incoming))
                     THEN UPDATE SET \(unsafeRaw: assignments)
                    """
        }
        return sql + " WHEN NOT MATCHED THEN INSERT (\(identifiers: columns)) VALUES (\(unsafeRaw: values))"
    }

    /// The statement's SQL; only validated, quoted identifiers are spliced in.
    static func sql(_ table: TimescaleTable, deduplicating: Bool) -> SQLQuery {
        let columns = table.columnIdentifiers
        let key = table.upsertKeyIdentifiers
        let keyNames = Set(key)
        let updated = columns.filter { !keyNames.contains($0) }
        let arrays = (1...columns.count).map { "$\($0)" }.joined(separator: ", ")
        var sql: SQLQuery = "INSERT INTO \(table.name) AS streamkit_target (\(identifiers: columns)) "
        if deduplicating {
            let ordinal = "streamkit_ordinal"
            sql =
                sql + """
                    SELECT DISTINCT ON (\(identifiers: key)) \(identifiers: columns)
                    FROM unnest(\(unsafeRaw: arrays)) WITH ORDINALITY AS streamkit_batch (\(identifiers: columns), \(unsafeRaw: ordinal))
                    ORDER BY \(identifiers: key), \(unsafeRaw: ordinal) DESC
                    """
        } else {
            sql = sql + "SELECT * FROM unnest(\(unsafeRaw: arrays))"
        }
        if updated.isEmpty {
            return sql + " ON CONFLICT (\(identifiers: key)) DO NOTHING"
        }
        let assignments = updated.map { "\($0.quoted) = EXCLUDED.\($0.quoted)" }.joined(separator: ", ")
        let current = updated.map { "streamkit_target.\($0.quoted)" }.joined(separator: ", ")
        let incoming = updated.map { "EXCLUDED.\($0.quoted)" }.joined(separator: ", ")
        return sql + """
             ON CONFLICT (\(identifiers: key)) DO UPDATE SET \(unsafeRaw: assignments)
             WHERE (\(unsafeRaw: current)) IS DISTINCT FROM (\(unsafeRaw: incoming))
            """
    }

    /// The column arrays of `rows` as bind parameters, keeping only the last row per key when the client can
    /// tell keys apart.
    ///
    /// - Throws: A value-type error naming the column of the first value that does not fit it.
    func parameters(for rows: ArraySlice<TimescaleRow>) throws(TimescaleError) -> [LibPQParameter] {
        var arrays = BinaryArrayEncoder(columns: table.columns)
        if let survivors = survivingRows(of: rows) {
            for index in survivors { try arrays.append(rows[index]) }
        } else {
            for row in rows { try arrays.append(row) }
        }
        try arrays.finish()
        return zip(arrays.parameterTypeOIDs, arrays.columns).map { LibPQParameter(typeOID: $0, bytes: $1) }
    }

    /// The positions of the last row per key, in batch order, when some key repeats; `nil` when every row stays
    /// (no key repeats, or the statement deduplicates itself, or a key value is invalid: the encoder reports it).
    func survivingRows(of rows: ArraySlice<TimescaleRow>) -> [Int]? {
        guard isKeyComparableInBinary else { return nil }
        var last: [[UInt8]: Int] = Dictionary(minimumCapacity: rows.count)
        var repeats = false
        for index in rows.indices {
            var key: [UInt8] = []
            for column in keyIndices {
                guard column < rows[index].values.count,
                    let value = rows[index].values[column].converted(to: table.columns[column].type.kind),
                    (try? value.appendField(to: &key)) != nil
                else { return nil }
            }
            if last.updateValue(index, forKey: key) != nil { repeats = true }
        }
        guard repeats else { return nil }
        return last.values.sorted()
    }
}
