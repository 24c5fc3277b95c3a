import Foundation
import StreamKitTestSupport
import StreamKitTimescale
import Testing

@Suite(.enabled(if: TestEnvironment.hasTimescale, SkipReason.noTimescale))
struct SchemaTests {
    static func ticksTable(aggregates: [TimescaleContinuousAggregate] = []) throws -> TimescaleTable {
        try TimescaleTable(
            name: "ticks",
            columns: [
                .init("symbol", .text), .init("ts_event", .timestamptz), .init("bid", .doublePrecision),
                .init("ask", .doublePrecision), .init("price", .numeric(precision: 18, scale: 6)),
                .init("sequence", .bigint, isNullable: false),
            ],
            upsertKey: ["symbol", "ts_event", "sequence"], timeColumn: "ts_event",
            compression: .init(segmentBy: ["symbol"], orderBy: [.descending("ts_event")]),
            continuousAggregates: aggregates)
    }

    /// `time_bucket` is qualified: the tests' `search_path` is their own schema, and the extension lives in `public`.
    static let hourly = TimescaleContinuousAggregate(
        name: "ticks_hourly",
        query: """
            SELECT public.time_bucket('1 hour', ts_event) AS bucket, symbol, count(*) AS ticks, avg((bid + ask) / 2) AS mean_mid
            FROM ticks GROUP BY 1, 2
            """)

    @Test func createsTheTableIdempotentlyWithTheKeyAndTypes() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("schema")
        let table = try Self.ticksTable(aggregates: [Self.hourly])
        let first = try await pg.ensureSchema(for: table)
        let second = try await pg.ensureSchema(for: table)  // a restart must not fail
        #expect(first == second)
        let columns = try await pg.execute(
            """
            SELECT column_name, data_type, is_nullable FROM information_schema.columns
            WHERE table_schema = \(schema) AND table_name = 'ticks' ORDER BY ordinal_position
            """
        ).map(\.values)
        #expect(
            columns == [
                ["symbol", "text", "NO"], ["ts_event", "timestamp with time zone", "NO"],
                ["bid", "double precision", "YES"], ["ask", "double precision", "YES"], ["price", "numeric", "YES"],
                ["sequence", "bigint", "NO"],
            ])
        let key = try await TestDatabase.scalar(
            pg,
            """
            SELECT string_agg(a.attname, ',' ORDER BY array_position(i.indkey, a.attnum))
            FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = 'ticks'::regclass AND i.indisprimary
            """)
        #expect(key == "symbol,ts_event,sequence")
        try await TestDatabase.dropSchema(schema)
    }

    // The skipped-feature report is what plain PostgreSQL must give; with the extension it is empty.
    @Test func plainPostgreSQLReportsTheSkippedFeaturesOnce() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("plain")
        let report = try await pg.ensureSchema(for: Self.ticksTable(aggregates: [Self.hourly]))
        if report.isTimescaleAvailable {
            #expect(report.skippedFeatures.isEmpty)
        } else {
            #expect(
                report.skippedFeatures == [
                    .hypertable, .compression, .compressionPolicy, .retentionPolicy,
                    .continuousAggregate("ticks_hourly"),
                ])
            // Plain PostgreSQL still stores and upserts.
            let writer = try await TimescaleBatchWriter.make(connection: pg, table: Self.ticksTable())
            let row: TimescaleRow = [
                .text("TTF-GAS"), .timestamptz(.init(millisecondsSinceUnixEpoch: 1_700_000_000_000)), .float64(31),
                .float64(31.5), .numeric(try TimescaleNumeric("31.250000")), .int64(1),
            ]
            try await writer.write([row, row])
            #expect(try await TestDatabase.scalar(pg, "SELECT price::text FROM ticks") == "31.250000")
        }
        try await TestDatabase.dropSchema(schema)
    }

    @Test func invalidAggregateNamesAreConfigurationErrors() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("badagg")
        let bad = TimescaleContinuousAggregate(name: "x; DROP TABLE ticks", query: "SELECT 1")
        await #expect {
            try await pg.ensureSchema(for: Self.ticksTable(aggregates: [bad]))
        } throws: { error in
            (error as? TimescaleError)?.description.contains("continuousAggregates[0].name") == true
        }
        try await TestDatabase.dropSchema(schema)
    }

    // MARK: - TimescaleDB only

    /// One tick of `ticksTable()` at `minutes` after `baseMs` (recent, so the policies leave it alone).
    static func tick(_ symbol: String, minutes: Int64, bid: Double, ask: Double, sequence: Int64) -> TimescaleRow {
        [
            .text(symbol), .timestamptz(.init(millisecondsSinceUnixEpoch: baseMs + minutes * 60_000)), .float64(bid),
            .float64(ask), .null, .int64(sequence),
        ]
    }

    /// The hourly rows of `ticks_hourly` as [bucket − baseMs in ms, symbol, ticks, mean_mid].
    static func hourlyRows(_ pg: TimescaleConnection) async throws -> [[String?]] {
        try await pg.execute(
            """
            SELECT ((extract(epoch FROM bucket) * 1000)::bigint - \(baseMs))::text, symbol, ticks::text, mean_mid::text
            FROM ticks_hourly ORDER BY bucket, symbol
            """
        ).map(\.values)
    }

    /// Refreshes all of `ticks_hourly`. The refresh policy's job starts as soon as it is added and holds the
    /// aggregate's refresh lock while it runs, so a refresh at that moment fails with 55P03 and is tried again.
    static func refreshHourly(_ pg: TimescaleConnection) async throws {
        var attempts = 1
        while true {
            do {
                try await pg.execute("CALL public.refresh_continuous_aggregate('ticks_hourly', NULL, NULL)")
                return
            } catch {
                guard error.sqlState == "55P03", attempts < 100 else { throw error }
            }
            attempts += 1
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test(.enabled(SkipReason.noTimescaleExtension) { try await TestDatabase.hasTimescaleExtension() })
    func timescaleFeaturesAreCreated() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("timescale")
        let table = try Self.ticksTable(aggregates: [Self.hourly])
        let report = try await pg.ensureSchema(for: table)
        #expect(report.isTimescaleAvailable && report.skippedFeatures.isEmpty)
        #expect(try await pg.ensureSchema(for: table) == report)  // a restart adds nothing and fails nothing

        // A hypertable on ts_event with the table's 1-day chunks (TimescaleDB's own default is 7 days).
        let hypertable = try await pg.execute(
            """
            SELECT h.num_dimensions::text, h.compression_enabled::text, d.column_name::text,
                   (d.time_interval = interval '1 day')::text
            FROM timescaledb_information.hypertables h
            JOIN timescaledb_information.dimensions d USING (hypertable_schema, hypertable_name)
            WHERE h.hypertable_schema = \(schema) AND h.hypertable_name = 'ticks'
            """
        ).map(\.values)
        #expect(hypertable == [["1", "true", "ts_event", "true"]])

        // Compression segmented by symbol, ordered by time descending as described, then by the key's remaining
        // column, sequence, which StreamKitTimescale appends.
        let compression = try await pg.execute(
            """
            SELECT segmentby, orderby FROM timescaledb_information.hypertable_compression_settings
            WHERE hypertable = 'ticks'::regclass
            """
        ).map(\.values)
        #expect(compression == [["symbol", "ts_event DESC,sequence"]])

        // Exactly one job per policy after two runs, with the configured windows: compression after 7 days,
        // retention after 90 days, the aggregate refreshed hourly over [now − 3 days, now − 1 hour].
        let jobs = try await pg.execute(
            """
            SELECT proc_name::text, hypertable_name::text, scheduled::text,
                   coalesce((config->>'compress_after')::interval = interval '7 days',
                            (config->>'drop_after')::interval = interval '90 days',
                            (config->>'start_offset')::interval = interval '3 days'
                              AND (config->>'end_offset')::interval = interval '1 hour'
                              AND schedule_interval = interval '1 hour')::text
            FROM timescaledb_information.jobs WHERE hypertable_schema = \(schema) ORDER BY proc_name
            """
        ).map(\.values)
        #expect(
            jobs == [
                ["policy_compression", "ticks", "true", "true"],
                ["policy_refresh_continuous_aggregate", "ticks_hourly", "true", "true"],
                ["policy_retention", "ticks", "true", "true"],
            ])
        #expect(
            try await TestDatabase.scalar(
                pg,
                """
                SELECT hypertable_name::text FROM timescaledb_information.continuous_aggregates
                WHERE view_schema = \(schema) AND view_name = 'ticks_hourly'
                """) == "ticks")

        // The staging-table writer on the hypertable, then a refresh of the whole range.
        let writer = try await TimescaleBatchWriter.make(connection: pg, table: table)
        try await writer.write([
            Self.tick("A", minutes: 10, bid: 1, ask: 3, sequence: 1),  // mid 2
            Self.tick("B", minutes: 20, bid: 10, ask: 12, sequence: 2),  // mid 11
            Self.tick("A", minutes: 50, bid: 3, ask: 5, sequence: 3),  // mid 4
            Self.tick("A", minutes: 65, bid: 6, ask: 8, sequence: 4),  // mid 7, next hour
        ])
        try await Self.refreshHourly(pg)
        // Hour 0: A has mids 2 and 4, mean 3; B has 11. Hour 1 (3 600 000 ms): A has 7.
        #expect(
            try await Self.hourlyRows(pg) == [
                ["0", "A", "2", "3"], ["0", "B", "1", "11"], ["3600000", "A", "1", "7"],
            ])
        try await TestDatabase.dropSchema(schema)
    }

    /// A schema-qualified table and aggregate, set up over a connection whose `search_path` is another schema.
    @Test(.enabled(SkipReason.noTimescaleExtension) { try await TestDatabase.hasTimescaleExtension() })
    func schemaQualifiedNamesWorkFromAnotherSearchPath() async throws {
        let (_, schema) = try await TestDatabase.makeSchema("qualified")
        let pg = try await TestDatabase.connect(schema: "public")
        let aggregate = TimescaleContinuousAggregate(
            name: "\(schema).ticks_hourly",
            query: SQLQuery(
                unsafeRaw: """
                    SELECT public.time_bucket('1 hour', ts_event) AS bucket, symbol, count(*) AS ticks
                    FROM "\(schema)".ticks GROUP BY 1, 2
                    """))
        let table = try TimescaleTable(
            name: "\(schema).ticks", columns: [.init("symbol", .text), .init("ts_event", .timestamptz)],
            upsertKey: ["symbol", "ts_event"], timeColumn: "ts_event",
            compression: .init(segmentBy: ["symbol"]), continuousAggregates: [aggregate])
        let report = try await pg.ensureSchema(for: table)
        #expect(try await pg.ensureSchema(for: table) == report)
        #expect(report.isTimescaleAvailable && report.skippedFeatures.isEmpty)
        let hypertables = try await pg.execute(
            """
            SELECT hypertable_name::text, compression_enabled::text FROM timescaledb_information.hypertables
            WHERE hypertable_schema = \(schema)
            """
        ).map(\.values)
        #expect(hypertables.contains(["ticks", "true"]))
        // Empty orderBy: the time column descending (TimescaleDB's usual default); the key is then covered.
        let compression = try await pg.execute(
            """
            SELECT segmentby, orderby FROM timescaledb_information.hypertable_compression_settings
            WHERE hypertable = \("\(schema).ticks")::regclass
            """
        ).map(\.values)
        #expect(compression == [["symbol", "ts_event DESC"]])
        let jobs = try await pg.execute(
            """
            SELECT proc_name::text, hypertable_name::text FROM timescaledb_information.jobs
            WHERE hypertable_schema = \(schema) ORDER BY proc_name
            """
        ).map(\.values)
        #expect(
            jobs == [
                ["policy_compression", "ticks"], ["policy_refresh_continuous_aggregate", "ticks_hourly"],
                ["policy_retention", "ticks"],
            ])
        try await TestDatabase.dropSchema(schema)
    }

    /// The policies do what their jobs say when run (in the foreground, with `run_job`: the end state is the same
    /// whether or not the background scheduler ran them first).
    @Test(.enabled(SkipReason.noTimescaleExtension) { try await TestDatabase.hasTimescaleExtension() })
    func retentionAndCompressionPoliciesRun() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("policies")
        let table = try Self.ticksTable()
        try await pg.ensureSchema(for: table)
        let writer = try await TimescaleBatchWriter.make(connection: pg, table: table)
        let day: Int64 = 1_440
        try await writer.write([
            Self.tick("A", minutes: -100 * day, bid: 1, ask: 2, sequence: 1),  // older than 90 days: dropped
            Self.tick("A", minutes: -8 * day, bid: 3, ask: 4, sequence: 2),  // older than 7 days: compressed
            Self.tick("A", minutes: 0, bid: 5, ask: 6, sequence: 3),  // recent: left alone
        ])
        for policy in ["policy_retention", "policy_compression"] {
            let job = try await TestDatabase.scalar(
                pg,
                """
                SELECT job_id::text FROM timescaledb_information.jobs
                WHERE hypertable_schema = \(schema) AND proc_name = \(policy)
                """)
            try await pg.execute("CALL public.run_job(\(Int32(try #require(job.flatMap { Int32($0) }))))")
        }
        let chunks = try await pg.execute(
            """
            SELECT min(t.sequence)::text, c.is_compressed::text
            FROM timescaledb_information.chunks c JOIN ticks t
              ON t.ts_event >= c.range_start AND t.ts_event < c.range_end
            WHERE c.hypertable_schema = \(schema) AND c.hypertable_name = 'ticks'
            GROUP BY c.chunk_name, c.is_compressed ORDER BY 1
            """
        ).map(\.values)
        #expect(chunks == [["2", "true"], ["3", "false"]])
        try await TestDatabase.dropSchema(schema)
    }

    @Test(.enabled(SkipReason.noTimescaleExtension) { try await TestDatabase.hasTimescaleExtension() })
    func upsertsIntoCompressedChunks() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("compressed")
        let table = try Self.ticksTable(aggregates: [Self.hourly])
        try await pg.ensureSchema(for: table)
        let writer = try await TimescaleBatchWriter.make(connection: pg, table: table)
        let batch = [
            Self.tick("A", minutes: 10, bid: 1, ask: 3, sequence: 1),
            Self.tick("B", minutes: 20, bid: 10, ask: 12, sequence: 2),
            Self.tick("A", minutes: 50, bid: 3, ask: 5, sequence: 3),
        ]
        try await writer.write(batch)
        let compressed = try await TestDatabase.scalar(
            pg, "SELECT count(public.compress_chunk(c))::text FROM public.show_chunks('ticks') AS c")
        #expect(compressed == "1")  // all three ticks are in one 1-day chunk
        #expect(
            try await TestDatabase.scalar(
                pg,
                """
                SELECT count(*)::text FROM timescaledb_information.chunks
                WHERE hypertable_schema = \(schema) AND hypertable_name = 'ticks' AND is_compressed
                """) == "1")

        // The same batch again changes nothing; a changed tick and a new one land in the compressed chunk.
        #expect(try await writer.write(batch).changedRowCount == 0)
        try await writer.write([
            Self.tick("A", minutes: 10, bid: 2, ask: 4, sequence: 1),  // mid 2 → 3
            Self.tick("B", minutes: 30, bid: 12, ask: 14, sequence: 5),  // mid 13
        ])
        let rows = try await pg.execute(
            "SELECT symbol, sequence::text, bid::text, ask::text FROM ticks ORDER BY ts_event"
        ).map(\.values)
        #expect(
            rows == [
                ["A", "1", "2", "4"], ["B", "2", "10", "12"], ["B", "5", "12", "14"], ["A", "3", "3", "5"],
            ])
        try await Self.refreshHourly(pg)
        // Hour 0: A has mids 3 and 4, mean 3.5; B has 11 and 13, mean 12.
        #expect(try await Self.hourlyRows(pg) == [["0", "A", "2", "3.5"], ["0", "B", "2", "12"]])
        try await TestDatabase.dropSchema(schema)
    }
}
