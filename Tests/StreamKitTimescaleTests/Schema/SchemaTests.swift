import Foundation
import StreamKitTimescale
import Testing

@Suite(.enabled(if: TestDatabase.isConfigured, "needs TIMESCALE_URL (scripts/postgres start)"))
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

    static let hourly = TimescaleContinuousAggregate(
        name: "ticks_hourly",
        query: """
            SELECT time_bucket('1 hour', ts_event) AS bucket, symbol, count(*) AS ticks, avg((bid + ask) / 2) AS mean_mid
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

    @Test(.enabled("needs the timescaledb extension on the server") { try await TestDatabase.hasTimescale() })
    func timescaleFeaturesAreCreated() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("timescale")
        let report = try await pg.ensureSchema(for: Self.ticksTable(aggregates: [Self.hourly]))
        #expect(report.isTimescaleAvailable && report.skippedFeatures.isEmpty)
        try await pg.ensureSchema(for: Self.ticksTable(aggregates: [Self.hourly]))
        #expect(
            try await TestDatabase.scalar(
                pg,
                "SELECT count(*)::text FROM timescaledb_information.hypertables WHERE hypertable_schema = \(schema) AND hypertable_name = 'ticks' AND compression_enabled"
            )
                == "1")
        let jobs = try await pg.execute(
            """
            SELECT proc_name FROM timescaledb_information.jobs
            WHERE hypertable_schema = \(schema) ORDER BY proc_name
            """
        ).map { $0[0] }
        #expect(jobs.contains("policy_compression") && jobs.contains("policy_retention"))
        let writer = try await TimescaleBatchWriter.make(connection: pg, table: Self.ticksTable())
        try await writer.write([
            [
                .text("A"), .timestamptz(.init(millisecondsSinceUnixEpoch: 1_700_000_000_000)), .float64(1),
                .float64(3), .null, .int64(1),
            ]
        ])
        try await pg.execute("CALL refresh_continuous_aggregate('ticks_hourly', NULL, NULL)")
        // One tick with mid (1 + 3) / 2 = 2 in the 22:00 bucket.
        #expect(try await TestDatabase.scalar(pg, "SELECT ticks || ' ' || mean_mid FROM ticks_hourly") == "1 2")
        try await TestDatabase.dropSchema(schema)
    }
}
