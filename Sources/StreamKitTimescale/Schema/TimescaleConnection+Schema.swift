import Foundation
import Logging

extension TimescaleConnection {
    /// Creates `table` and the TimescaleDB features it describes, skipping what already exists.
    ///
    /// Idempotent: running it again at every start is the intended use. Steps: `CREATE EXTENSION IF NOT
    /// EXISTS timescaledb` (when the server preloads it and the database does not have it yet; its functions are
    /// then called qualified with its schema), `CREATE TABLE IF NOT EXISTS` with the upsert key as primary
    /// key, then with the extension: `create_hypertable` (chunk interval), compression settings and policy,
    /// retention policy, continuous aggregates with refresh policies. On plain PostgreSQL the table is a plain
    /// table that stores and upserts all the same; the features it cannot have are returned and logged once,
    /// as one warning, per table and connection.
    ///
    /// - Throws: Configuration errors for invalid continuous-aggregate names or queries with bound values;
    ///   server and connection errors.
    @discardableResult
    public func ensureSchema(for table: TimescaleTable) throws(TimescaleError) -> TimescaleSchemaReport {
        let (extensionSchema, unavailableReason) = try ensureTimescaleExtension()
        if let schema = table.name.schema { try execute("CREATE SCHEMA IF NOT EXISTS \(schema)") }
        try execute(Self.createTableSQL(table))

        var skipped: [TimescaleFeature] = []
        let aggregates = try validatedAggregates(table)
        if let timeColumn = table.timeColumn {
            var wanted: [TimescaleFeature] = [.hypertable]
            if table.compression != nil { wanted += [.compression, .compressionPolicy] }
            if table.retention != nil { wanted.append(.retentionPolicy) }
            wanted += aggregates.map { .continuousAggregate($0.name.name.name) }
            if let extensionSchema {
                try applyTimescaleFeatures(
                    table, timeColumn: timeColumn, aggregates: aggregates, extensionSchema: extensionSchema)
            } else {
                skipped = wanted
            }
        }
        if !skipped.isEmpty && warnedSchemaTables.insert(table.name.quoted).inserted {
            logger.warning(
                "TimescaleDB is not available; created a plain PostgreSQL table that stores and upserts all the same",
                metadata: [
                    "table": "\(table.name)", "skipped": "\(skipped.map(\.name).joined(separator: ", "))",
                    "reason": "\(unavailableReason ?? "unknown")",
                ])
        }
        return TimescaleSchemaReport(isTimescaleAvailable: extensionSchema != nil, skippedFeatures: skipped)
    }

    /// The schema of the `timescaledb` extension, creating the extension when the server has it but the database
    /// does not yet; `nil` with the reason on plain PostgreSQL (not installed, or not in `shared_preload_libraries`).
    ///
    /// The extension's functions are called qualified with this schema, so they are found whatever the
    /// connection's `search_path` is. A new extension goes where `CREATE EXTENSION` puts it: the first schema of
    /// the `search_path`, usually `public`.
    private func ensureTimescaleExtension() throws(TimescaleError) -> (schema: SQLIdentifier?, reason: String?) {
        // Installed but not preloaded, TimescaleDB ends the session with FATAL on CREATE EXTENSION (or on any call
        // into it), so look before touching it: its loader defines `timescaledb.disable_load` when preloaded.
        let state = try execute(
            """
            SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')::text,
                   (current_setting('timescaledb.disable_load', true) IS NOT NULL)::text,
                   (SELECT n.nspname::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                    WHERE e.extname = 'timescaledb')
            """)
        guard state.first?[0] == "true" else { return (nil, "the server has no timescaledb extension") }
        guard state.first?[1] == "true" else {
            return (nil, "timescaledb is installed on the server but not in shared_preload_libraries")
        }
        if let schema = state.first?[2] { return (try Self.extensionSchema(schema), nil) }
        let installed: SQLQuery = """
            SELECT n.nspname::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
            WHERE e.extname = 'timescaledb'
            """
        do {
            try execute("CREATE EXTENSION IF NOT EXISTS timescaledb")
        } catch  where !error.isConnectionLost {
            // Another connection may have created it at the same moment (a unique violation on pg_extension).
            if let schema = try execute(installed).first?[0] { return (try Self.extensionSchema(schema), nil) }
            logger.debug("CREATE EXTENSION timescaledb failed", metadata: ["error": "\(error)"])
            return (nil, error.message)
        }
        guard let schema = try execute(installed).first?[0] else { return (nil, "timescaledb was not created") }
        return (try Self.extensionSchema(schema), nil)
    }

    private static func extensionSchema(_ name: String) throws(TimescaleError) -> SQLIdentifier {
        try SQLIdentifier(name, setting: "the timescaledb extension's schema")
    }

    private struct ValidatedAggregate {
        var name: SQLTableName
        var aggregate: TimescaleContinuousAggregate
    }

    private func validatedAggregates(_ table: TimescaleTable) throws(TimescaleError) -> [ValidatedAggregate] {
        var result: [ValidatedAggregate] = []
        for (index, aggregate) in table.continuousAggregates.enumerated() {
            let setting = "continuousAggregates[\(index)]"
            let name = try SQLTableName(aggregate.name, setting: setting + ".name")
            guard aggregate.query.bindings.isEmpty else {
                throw .configuration(
                    setting + ".query", "a view definition cannot take bound values; write them as SQL")
            }
            result.append(ValidatedAggregate(name: name, aggregate: aggregate))
        }
        return result
    }

    private func applyTimescaleFeatures(
        _ table: TimescaleTable, timeColumn: String, aggregates: [ValidatedAggregate],
        extensionSchema ext: SQLIdentifier
    ) throws(TimescaleError) {
        let relation = table.name.quoted
        try execute(
            """
            SELECT \(ext).create_hypertable(\(relation)::regclass, \(timeColumn)::name,
                chunk_time_interval => \(table.chunkInterval.sqlInterval)::interval,
                if_not_exists => TRUE, migrate_data => TRUE)
            """)
        if let compression = table.compression {
            let enabled = try execute(
                """
                SELECT 1 FROM timescaledb_information.hypertables
                WHERE hypertable_schema = coalesce(\(table.name.schema?.name), current_schema())
                  AND hypertable_name = \(table.name.name.name) AND compression_enabled
                """)
            if enabled.isEmpty {
                var settings = ["timescaledb.compress"]
                if !table.segmentByIdentifiers.isEmpty {
                    let list = table.segmentByIdentifiers.map(\.quoted).joined(separator: ", ")
                    settings.append("timescaledb.compress_segmentby = \(list.sqlStringLiteral)")
                }
                let list = Self.compressionOrder(table).map { $0.quoted + ($1 ? " DESC" : " ASC") }
                settings.append("timescaledb.compress_orderby = \(list.joined(separator: ", ").sqlStringLiteral)")
                // Identifiers are validated and quoted, and the lists are SQL string literals: safe to splice.
                try execute("ALTER TABLE \(table.name) SET (\(unsafeRaw: settings.joined(separator: ", ")))")
            }
            try execute(
                """
                SELECT \(ext).add_compression_policy(\(relation)::regclass,
                    compress_after => \(compression.compressAfter.sqlInterval)::interval, if_not_exists => TRUE)
                """)
        }
        if let retention = table.retention {
            try execute(
                """
                SELECT \(ext).add_retention_policy(\(relation)::regclass,
                    drop_after => \(retention.sqlInterval)::interval, if_not_exists => TRUE)
                """)
        }
        for validated in aggregates {
            let aggregate = validated.aggregate
            try execute(
                """
                CREATE MATERIALIZED VIEW IF NOT EXISTS \(validated.name) WITH (timescaledb.continuous) AS
                \(aggregate.query) WITH NO DATA
                """)
            try execute(
                """
                SELECT \(ext).add_continuous_aggregate_policy(\(validated.name.quoted)::regclass,
                    start_offset => \(aggregate.refreshStartOffset?.sqlInterval)::interval,
                    end_offset => \(aggregate.refreshEndOffset?.sqlInterval)::interval,
                    schedule_interval => \(aggregate.refreshInterval.sqlInterval)::interval,
                    if_not_exists => TRUE)
                """)
        }
    }

    /// `compress_orderby`: the described order, or the time column descending when it is empty, then the upsert-key
    /// columns that are neither segment-by nor order-by, ascending. TimescaleDB warns about a unique-key column
    /// missing from both lists: without it, an upsert into a compressed chunk cannot use the batches' min/max
    /// metadata to find the rows that conflict and decompresses the whole segment.
    static func compressionOrder(_ table: TimescaleTable) -> [(SQLIdentifier, isDescending: Bool)] {
        var order = table.orderByIdentifiers.map { ($0.0, isDescending: $0.1) }
        if order.isEmpty, let time = table.timeColumnIdentifier { order = [(time, isDescending: true)] }
        for key in table.upsertKeyIdentifiers
        where !table.segmentByIdentifiers.contains(key) && !order.contains(where: { $0.0 == key }) {
            order.append((key, isDescending: false))
        }
        return order
    }

    static func createTableSQL(_ table: TimescaleTable) -> SQLQuery {
        var definitions = table.columns.indices.map { index in
            let column = table.columns[index]
            let notNull = table.isNotNull[index] ? " NOT NULL" : ""
            return "\(table.columnIdentifiers[index].quoted) \(column.type.sqlName)\(notNull)"
        }
        if !table.upsertKeyIdentifiers.isEmpty {
            definitions.append("PRIMARY KEY (\(table.upsertKeyIdentifiers.map(\.quoted).joined(separator: ", ")))")
        }
        // Names are validated identifiers and types come from TimescaleColumnType: nothing from outside is spliced.
        return "CREATE TABLE IF NOT EXISTS \(table.name) (\(unsafeRaw: definitions.joined(separator: ", ")))"
    }
}

extension Duration {
    /// The duration as PostgreSQL interval text, e.g. `"7 days"` or `"3600 seconds"`.
    ///
    /// Whole days are written as days so that TimescaleDB's job configurations read `7 days` rather than
    /// `168:00:00`; PostgreSQL compares the two as equal.
    var sqlInterval: String {
        let (seconds, attoseconds) = components
        if attoseconds == 0 {
            return seconds != 0 && seconds % 86_400 == 0 ? "\(seconds / 86_400) days" : "\(seconds) seconds"
        }
        return "\(seconds * 1_000_000 + attoseconds / 1_000_000_000_000) microseconds"
    }
}

extension String {
    /// The string as a single-quoted SQL literal, quotes doubled.
    var sqlStringLiteral: String { "'" + replacingOccurrences(of: "'", with: "''") + "'" }
}
