import Foundation
import StreamKitTestSupport
import StreamKitTimescale
import Testing

@Suite(.enabled(if: TestEnvironment.hasTimescale, SkipReason.noTimescale))
struct TimescaleBatchWriterTests {
    static func barsTable() throws -> TimescaleTable {
        try TimescaleTable(
            name: "bars",
            columns: [
                .init("symbol", .text), .init("window_start", .timestamptz), .init("mean_mid", .doublePrecision),
                .init("count", .bigint), .init("note", .text),
            ],
            upsertKey: ["symbol", "window_start"], timeColumn: "window_start")
    }

    /// ``barsTable()`` as a plain table (no time column): on PostgreSQL 15 the writer upserts it with `MERGE`.
    static func plainBarsTable(on pg: TimescaleConnection) async throws -> TimescaleTable {
        let table = try TimescaleTable(
            name: "bars", columns: try barsTable().columns, upsertKey: ["symbol", "window_start"])
        try await pg.ensureSchema(for: table)
        return table
    }

    static func bar(_ symbol: String, second: Int64, mid: Double, count: Int64, note: String? = nil) -> TimescaleRow {
        [
            .text(symbol), .timestamptz(.init(millisecondsSinceUnixEpoch: baseMs + second * 1_000)),
            .float64(mid), .int64(count), note.map { .text($0) } ?? .null,
        ]
    }

    private func contents(_ pg: TimescaleConnection) async throws -> [[String?]] {
        try await pg.execute(
            """
            SELECT symbol, (((extract(epoch FROM window_start) * 1000)::bigint - \(baseMs)) / 1000)::text, mean_mid::text, count::text, note
            FROM bars ORDER BY symbol, window_start
            """
        ).map(\.values)
    }

    @Test func sameBatchTwiceLeavesTheSameRowsAndChangesUpdateInPlace() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("upsert")
        let table = try Self.barsTable()
        try await pg.ensureSchema(for: table)
        let writer = try await TimescaleBatchWriter.make(connection: pg, table: table)
        let batch = [
            Self.bar("TTF-GAS", second: 0, mid: 31.25, count: 3),
            Self.bar("TTF-GAS", second: 1, mid: 31.5, count: 2, note: "'; DROP TABLE bars; --"),
            Self.bar("BRENT", second: 0, mid: 82.0, count: 1),
        ]
        let expected: [[String?]] = [
            ["BRENT", "0", "82", "1", nil],
            ["TTF-GAS", "0", "31.25", "3", nil],
            ["TTF-GAS", "1", "31.5", "2", "'; DROP TABLE bars; --"],
        ]
        let first = try await writer.write(batch)
        #expect(first.changedRowCount == 3 && first.attempts == 1)
        #expect(try await contents(pg) == expected)

        let replay = try await writer.write(batch)
        #expect(replay.changedRowCount == 0)  // identical values are not rewritten
        #expect(try await contents(pg) == expected)
        #expect(try await TestDatabase.scalar(pg, "SELECT count(*) FROM bars") == "3")

        // A changed value updates its row in place; within one batch the last row for a key wins.
        let changed = try await writer.write([
            Self.bar("BRENT", second: 0, mid: 83.5, count: 2),
            Self.bar("BRENT", second: 0, mid: 84.0, count: 3),
        ])
        #expect(changed.changedRowCount == 1)
        #expect(try await contents(pg)[0] == ["BRENT", "0", "84", "3", nil])
        #expect(try await TestDatabase.scalar(pg, "SELECT count(*) FROM bars") == "3")
        try await TestDatabase.dropSchema(schema)
    }

    /// A plain table (no time column) on PostgreSQL 15 is written with MERGE: the same results as the
    /// `ON CONFLICT` path above, batch replays included.
    @Test func aPlainTableUpsertsTheSameWayThroughMerge() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("merge")
        let writer = try await TimescaleBatchWriter.make(
            connection: pg, table: try await Self.plainBarsTable(on: pg), chunkSize: 2)
        let batch = [
            Self.bar("TTF-GAS", second: 0, mid: 31.25, count: 3),
            Self.bar("TTF-GAS", second: 1, mid: 31.5, count: 2, note: "'; DROP TABLE bars; --"),
            Self.bar("BRENT", second: 0, mid: 82.0, count: 1),
        ]
        #expect(try await writer.write(batch).changedRowCount == 3)
        #expect(try await writer.write(batch).changedRowCount == 0)
        let changed = try await writer.write([
            Self.bar("BRENT", second: 0, mid: 83.5, count: 2),
            Self.bar("BRENT", second: 0, mid: 84.0, count: 3),
        ])
        #expect(changed.changedRowCount == 1)
        #expect(
            try await contents(pg) == [
                ["BRENT", "0", "84", "3", nil], ["TTF-GAS", "0", "31.25", "3", nil],
                ["TTF-GAS", "1", "31.5", "2", "'; DROP TABLE bars; --"],
            ])
        try await TestDatabase.dropSchema(schema)
    }

    /// MERGE fails with `unique_violation` when another transaction inserts one of its keys first; the writer then
    /// writes the batch with `ON CONFLICT`, which updates that row.
    @Test func aKeyInsertedConcurrentlyIsUpdatedNotLost() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("merge_race")
        let writer = try await TimescaleBatchWriter.make(connection: pg, table: try await Self.plainBarsTable(on: pg))
        let other = try await TestDatabase.connect(schema: schema)
        try await other.execute("BEGIN")
        try await other.execute(
            "INSERT INTO bars (symbol, window_start, mean_mid, count) VALUES ('A', to_timestamp(\(baseMs / 1_000)), 1, 1)"
        )
        // The writer's MERGE waits for the other transaction's key, then finds it taken.
        let writing = Task {
            try await writer.write([
                Self.bar("A", second: 0, mid: 2, count: 2), Self.bar("B", second: 0, mid: 3, count: 3),
            ])
        }
        // Only once the MERGE waits for that key does the other transaction commit; committed earlier, the MERGE
        // would simply update the row and the test would not reach the fallback.
        // Asked on a third connection: inside a transaction, pg_stat_activity keeps the snapshot of its first read.
        let watcher = try await TestDatabase.connect(schema: schema)
        try await waitUntil("the writer's MERGE to wait for the other transaction", every: .milliseconds(20)) {
            try await TestDatabase.scalar(
                watcher,
                """
                SELECT count(*) FROM pg_stat_activity
                WHERE wait_event_type = 'Lock' AND query LIKE 'MERGE INTO%' AND datname = current_database()
                """) != "0"
        }
        try await other.execute("COMMIT")
        let result = try await writing.value
        #expect(result.changedRowCount == 2 && result.attempts == 1)
        #expect(try await contents(pg) == [["A", "0", "2", "2", nil], ["B", "0", "3", "3", nil]])
        await other.close()
        await watcher.close()
        try await TestDatabase.dropSchema(schema)
    }

    @Test func offsetsAreStoredInTheSameTransactionAndReadBack() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("offsets")
        let table = try Self.barsTable()
        try await pg.ensureSchema(for: table)
        let writer = try await TimescaleBatchWriter.make(
            connection: pg, table: table, offsetsTable: "streamkit_offsets")
        let group = "bars-app"
        try await writer.write(
            [Self.bar("A", second: 0, mid: 1, count: 1)],
            offsets: [
                .init(consumerGroup: group, topic: "orderbook.raw", partition: 1, nextOffset: 11),
                .init(consumerGroup: group, topic: "orderbook.raw", partition: 0, nextOffset: 5),
            ])
        try await writer.write(
            [Self.bar("A", second: 1, mid: 2, count: 1)],
            offsets: [.init(consumerGroup: group, topic: "orderbook.raw", partition: 0, nextOffset: 9)])
        #expect(
            try await writer.storedOffsets(consumerGroup: group) == [
                .init(consumerGroup: group, topic: "orderbook.raw", partition: 0, nextOffset: 9),
                .init(consumerGroup: group, topic: "orderbook.raw", partition: 1, nextOffset: 11),
            ])
        #expect(try await writer.storedOffsets(consumerGroup: "other").isEmpty)

        // A batch that fails stores neither rows nor offsets: the NULL violates the key's NOT NULL.
        await #expect(throws: TimescaleError.self) {
            try await writer.write(
                [[.null, .timestamptz(.init(millisecondsSinceUnixEpoch: 0)), .float64(1), .int64(1), .null]],
                offsets: [.init(consumerGroup: group, topic: "orderbook.raw", partition: 0, nextOffset: 99)])
        }
        #expect(try await writer.storedOffsets(consumerGroup: group, topic: "orderbook.raw")[0].nextOffset == 9)
        #expect(try await TestDatabase.scalar(pg, "SELECT count(*) FROM bars") == "2")
        let offsetRows = try await TestDatabase.scalar(
            pg, "SELECT count(*) FROM streamkit_offsets WHERE consumer_group = \(group)")
        #expect(offsetRows == "2")
        try await TestDatabase.dropSchema(schema)
    }

    /// The writer's server process is terminated repeatedly while it writes (what a server restart or a
    /// failover does to a connection); every batch is retried, and the table ends with exactly the rows.
    @Test func connectionKilledWhileWritingLosesAndDuplicatesNothing() async throws {
        let application = TestEnvironment.uniqueName("streamkit-kill")
        let (pg, schema) = try await TestDatabase.makeSchema("kill", applicationName: application)
        let table = try TimescaleTable(
            name: "ticks",
            columns: [.init("sequence", .bigint), .init("value", .doublePrecision)],
            upsertKey: ["sequence"])
        try await pg.ensureSchema(for: table)
        let writer = try await TimescaleBatchWriter.make(
            connection: pg, table: table, offsetsTable: "streamkit_offsets", maxAttempts: 10)
        let admin = try await TestDatabase.connect(schema: schema)
        var killers: [Task<Int, any Error>] = []
        let batches = 30
        let batchSize = 2_000
        var retries = 0
        for batch in 0..<batches {
            if batch % 6 == 3 {
                // Terminate the writer's backend at some moment during this batch.
                killers.append(
                    Task {
                        try await Task.sleep(for: .milliseconds(Int.random(in: 0...20)))
                        let rows = try await admin.execute(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = \(application)"
                        )
                        return rows.filter { $0[0] == "t" }.count
                    })
            }
            let rows = (0..<batchSize).map { index -> TimescaleRow in
                let sequence = Int64(batch * batchSize + index)
                return [.int64(sequence), .float64(Double(sequence) / 2)]
            }
            let result = try await writer.write(
                rows,
                offsets: [
                    .init(consumerGroup: "kill", topic: "t", partition: 0, nextOffset: Int64((batch + 1) * batchSize))
                ])
            retries += result.attempts - 1
        }
        var kills = 0
        for killer in killers { kills += try await killer.value }
        #expect(kills >= 1)
        #expect(retries >= 1)
        // 60 000 rows with sequence 0…59 999 and value sequence / 2: the sum of values is
        // (0 + 1 + … + 59 999) / 2 = 59 999 · 60 000 / 4 = 899 985 000.
        let summary = try await admin.execute(
            "SELECT count(*)::text, count(DISTINCT sequence)::text, min(sequence)::text, max(sequence)::text, sum(value)::text FROM ticks"
        )
        #expect(summary[0].values == ["60000", "60000", "0", "59999", "899985000"])
        #expect(
            try await writer.storedOffsets(consumerGroup: "kill") == [
                .init(consumerGroup: "kill", topic: "t", partition: 0, nextOffset: 60_000)
            ])
        try await TestDatabase.dropSchema(schema)
    }

    @Test func valueThatDoesNotFitNamesTheColumnAndWritesNothing() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("misfit")
        let table = try Self.barsTable()
        try await pg.ensureSchema(for: table)
        let writer = try await TimescaleBatchWriter.make(connection: pg, table: table)
        await #expect {
            try await writer.write([
                Self.bar("A", second: 0, mid: 1, count: 1),
                [.text("B"), .text("not a time"), .float64(1), .int64(1), .null],
            ])
        } throws: { error in
            let error = error as! TimescaleError
            return error.code == .valueType && error.column == "window_start"
                && !error.description.contains("not a time")
        }
        #expect(try await TestDatabase.scalar(pg, "SELECT count(*) FROM bars") == "0")
        // The connection is still usable after the aborted COPY.
        try await writer.write([Self.bar("A", second: 0, mid: 1, count: 1)])
        #expect(try await TestDatabase.scalar(pg, "SELECT count(*) FROM bars") == "1")
        try await TestDatabase.dropSchema(schema)
    }
}
