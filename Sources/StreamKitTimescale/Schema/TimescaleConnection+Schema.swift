import Foundation
import Logging

extension TimescaleConnection {
    /// Creates `table` and the TimescaleDB features it describes, skipping what already exists.
    ///
    /// Idempotent: running it again at every start is the intended use. Steps: `CREATE EXTENSION IF NOT
    /// EXISTS timescaledb` (when not installed yet), `CREATE TABLE IF NOT EXISTS` with the upsert key as primary
    /// key, then with the extension: `create_hypertable` (chunk interval), compression settings and policy,
    /// retention policy, continuous aggregates with refresh policies. On plain PostgreSQL the table is a plain
    /// table that stores and upserts all the same; the features it cannot have are returned and logged once,
    /// as one warning, per table and connection.
    ///
    /// - Throws: Configuration errors for invalid continuous-aggregate names or queries with bound values;
    ///   server and connection errors.
    @discardableResult
    public func ensureSchema(for table: TimescaleTable) throws(TimescaleError) -> TimescaleSchemaReport {
        let isTimescaleAvailable = try ensureTimescaleExtension()
        if let schema = table.name.schema { try execute("CREATE SCHEMA IF NOT EXISTS \(schema)") }
        try execute(Self.createTableSQL(table))

        var skipped: [TimescaleFeature] = []
        let aggregates = try validatedAggregates(table)
        if let timeColumn = table.timeColumn {
            var wanted: [TimescaleFeature] = [.hypertable]
            if table.compression != nil { wanted += [.compression, .compressionPolicy] }
            if table.retention != nil { wanted.append(.retentionPolicy) }
            wanted += aggregates.map { .continuousAggregate($0.name.name.name) }
            if isTimescaleAvailable {
                try applyTimescaleFeatures(table, timeColumn: timeColumn, aggregates: aggregates)
            } else {
                skipped = wanted
            }
        }
        if !skipped.isEmpty && warnedSchemaTables.insert(table.name.quoted).inserted {
            logger.warning(
                "TimescaleDB is not available; created a plain PostgreSQL table that stores and upserts all the same",
                metadata: [
                    "table": "\(table.name)", "skipped": "\(skipped.map(\.name).joined(separator: ", "))",
                ])
        }
        return TimescaleSchemaReport(isTimescaleAvailable: isTimescaleAvailable, skippedFeatures: skipped)
    }

    /// Whether `timescaledb` is installed, creating it when the server has it but the database does not yet.
    private func ensureTimescaleExtension() throws(TimescaleError) -> Bool {
        if try !execute("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'").isEmpty { return true }
        do {
            try execute("CREATE EXTENSION IF NOT EXISTS timescaledb")
            return true
        } catch  where !error.isConnectionLost {
            logger.debug("CREATE EXTENSION timescaledb failed", metadata: ["error": "\(error)"])
            return false
        }
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
        _ table: TimescaleTable, timeColumn: String, aggregates: [ValidatedAggregate]
    ) throws(TimescaleError) {
        let relation = table.name.quoted
        try execute(
            """
            SELECT create_hypertable(\(relation)::regclass, \(timeColumn)::name,
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
                if !table.orderByIdentifiers.isEmpty {
                    let list = table.orderByIdentifiers.map { $0.quoted + ($1 ? " DESC" : " ASC") }
                    settings.append("timescaledb.compress_orderby = \(list.joined(separator: ", ").sqlStringLiteral)")
                }
                // Identifiers are validated and quoted, and the lists are SQL string literals: safe to splice.
                try execute("ALTER TABLE \(table.name) SET (\(unsafeRaw: settings.joined(separator: ", ")))")
            }
            try execute(
                """
                SELECT add_compression_policy(\(relation)::regclass,
                    compress_after => \(compression.compressAfter.sqlInterval)::interval, if_not_exists => TRUE)
                """)
        }
        if let retention = table.retention {
            try execute(
                """
                SELECT add_retention_policy(\(relation)::regclass,
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
                SELECT add_continuous_aggregate_policy(\(validated.name.quoted)::regclass,
                    start_offset => \(aggregate.refreshStartOffset?.sqlInterval)::interval,
                    end_offset => \(aggregate.refreshEndOffset?.sqlInterval)::interval,
                    schedule_interval => \(aggregate.refreshInterval.sqlInterval)::interval,
                    if_not_exists => TRUE)
                """)
        }
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
    /// The duration as PostgreSQL interval text, e.g. `"604800 seconds"`.
    var sqlInterval: String {
        let (seconds, attoseconds) = components
        if attoseconds == 0 { return "\(seconds) seconds" }
        return "\(seconds * 1_000_000 + attoseconds / 1_000_000_000_000) microseconds"
    }
}

extension String {
    /// The string as a single-quoted SQL literal, quotes doubled.
    var sqlStringLiteral: String { "'" + replacingOccurrences(of: "'", with: "''") + "'" }
}
