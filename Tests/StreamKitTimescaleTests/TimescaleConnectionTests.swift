import Foundation
import StreamKitTestSupport
import StreamKitTimescale
import Testing

@Suite(.enabled(if: TestEnvironment.hasTimescale, SkipReason.noTimescale))
struct TimescaleConnectionTests {
    @Test func serverErrorCarriesSQLStateAndNoBoundValue() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("errors")
        try await pg.execute("CREATE TABLE items (id text PRIMARY KEY)")
        let secretKey = "secret-key-4711"
        try await pg.execute("INSERT INTO items VALUES (\(secretKey))")
        do {
            try await pg.execute("INSERT INTO items VALUES (\(secretKey))")
            Issue.record("a duplicate key must fail")
        } catch {
            #expect(error.sqlState == "23505")
            #expect(error.conditionName == "unique_violation")
            #expect(error.code == .server && !error.isRetriable && !error.isConnectionLost)
            #expect(error.table == "items" && error.constraint == "items_pkey")
            #expect(error.description.hasPrefix("TimescaleError.server [23505 unique_violation] on \"items\": "))
            #expect(!error.description.contains(secretKey))
            #expect(error.detail?.contains(secretKey) == true)  // DETAIL has the key; it stays out of description
        }
        // Data exceptions quote the value in the server's message; the description withholds it.
        do {
            try await pg.execute("SELECT (\("hostile-value-xyz"))::integer")
            Issue.record("a non-integer must fail")
        } catch {
            #expect(error.sqlState == "22P02")
            #expect(error.message.contains("hostile-value-xyz"))
            #expect(!error.description.contains("hostile-value-xyz"))
        }
        try await TestDatabase.dropSchema(schema)
    }

    @Test func keyValueConninfoAndOptionsPassThrough() async throws {
        let url = try #require(TestEnvironment.timescaleURL)
        let components = try #require(URLComponents(string: url))
        let conninfo =
            "host=\(components.host ?? "127.0.0.1") port=\(components.port ?? 5432) user=\(components.user ?? "postgres") dbname=postgres sslmode=disable application_name=streamkit-kv"
        let pg = try await TimescaleConnection.connect(conninfo, statementTimeout: .milliseconds(150))
        #expect(try await TestDatabase.scalar(pg, "SELECT current_setting('application_name')") == "streamkit-kv")
        #expect(try await TestDatabase.scalar(pg, "SHOW statement_timeout") == "150ms")
        do {
            try await pg.execute("SELECT pg_sleep(2)")
            Issue.record("the statement timeout must cancel pg_sleep(2)")
        } catch {
            #expect(error.sqlState == "57014" && error.conditionName == "query_canceled")
        }
        #expect(try await TestDatabase.scalar(pg, "SELECT 1") == "1")  // still usable
    }

    @Test func transactionsCommitOrRollBack() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("tx")
        try await pg.execute("CREATE TABLE t (id bigint PRIMARY KEY)")
        try await pg.withTransaction { pg in
            try pg.execute("INSERT INTO t VALUES (\(1))")
            try pg.execute("INSERT INTO t VALUES (\(2))")
        }
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await pg.withTransaction { pg in
                try pg.execute("INSERT INTO t VALUES (\(3))")
                throw Abort()
            }
        }
        #expect(try await pg.execute("SELECT id::text FROM t ORDER BY id").map { $0[0] } == ["1", "2"])
        try await TestDatabase.dropSchema(schema)
    }

    @Test func lostConnectionIsReportedAndReconnectRecovers() async throws {
        let application = TestEnvironment.uniqueName("streamkit-lost")
        let pg = try await TestDatabase.connect(schema: "public", applicationName: application)
        let admin = try await TestDatabase.connect(schema: "public")
        let pid = try #require(await pg.backendProcessID)
        #expect(try await TestDatabase.scalar(admin, "SELECT pg_terminate_backend(\(pid))::text") == "true")
        do {
            try await pg.execute("SELECT 1")
            Issue.record("the terminated connection must fail")
        } catch {
            #expect(error.isConnectionLost && error.isRetriable)
        }
        #expect(await pg.isConnected == false)
        try await pg.reconnect()
        #expect(try await TestDatabase.scalar(pg, "SELECT current_setting('application_name')") == application)
    }

    @Test func hostileValuesAreStoredVerbatimAndNeverExecuted() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("hostile")
        try await pg.execute("CREATE TABLE victim (v text)")
        let hostile = [
            "'; DROP TABLE victim; --", "\"; DROP TABLE victim; --", "1); DELETE FROM victim; --", "$1", "\\'",
            "Robert'); DROP TABLE victim;--",
        ]
        for value in hostile { try await pg.execute("INSERT INTO victim VALUES (\(value))") }
        try await pg.copy(
            into: SQLTableName("victim"), columns: [.init("v", .text)], rows: hostile.map { [.text($0)] })
        let stored = try await pg.execute("SELECT v FROM victim").map { $0[0] }
        #expect(stored == hostile + hostile)
        // Several statements in one query are refused by the protocol, not run.
        await #expect(throws: TimescaleError.self) {
            try await pg.execute(SQLQuery(unsafeRaw: "SELECT 1; DROP TABLE victim"))
        }
        #expect(try await TestDatabase.scalar(pg, "SELECT count(*) FROM victim") == "12")
        try await TestDatabase.dropSchema(schema)
    }
}
