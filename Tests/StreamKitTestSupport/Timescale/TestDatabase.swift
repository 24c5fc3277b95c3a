import Foundation
import StreamKitTimescale
import Testing

/// The PostgreSQL server the integration tests use: `TestEnvironment.timescaleURL` (`TIMESCALE_URL`), e.g. from
/// `scripts/postgres start`.
///
/// Each test works in its own schema (`search_path` set through the connection string's `options`), so
/// tests run in parallel against one server without seeing each other's tables.
package enum TestDatabase {
    /// Whether TimescaleDB works on the server: its files are installed and it is in `shared_preload_libraries`
    /// (or already created). Installed but not preloaded, `CREATE EXTENSION` fails, so the server counts as
    /// plain PostgreSQL. TimescaleDB-only tests need it; when it works, it is created in `public` once.
    package static func hasTimescaleExtension() async throws -> Bool {
        try await timescale.value
    }

    private static let timescale = Task<Bool, any Error> {
        guard TestEnvironment.hasTimescale else { return false }
        let pg = try await connect(schema: "public")
        let usable = try await pg.execute(
            """
            SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'
              AND (installed_version IS NOT NULL
                   OR 'timescaledb' = ANY(string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')))
            """)
        guard !usable.isEmpty else { return false }
        // In `public`, not in a test's schema: a test's schema is dropped with CASCADE when it ends, and
        // StreamKitTimescale calls the extension's functions qualified with its schema. Tests that name
        // TimescaleDB functions in their own SQL write them as `public.time_bucket` and so on.
        try await pg.execute("CREATE EXTENSION IF NOT EXISTS timescaledb WITH SCHEMA public")
        return true
    }

    /// A fresh schema name for one test.
    package static func makeSchemaName(_ test: String) -> String {
        TestEnvironment.uniqueSchemaName("sk_\(test)")
    }

    /// The server's URL with libpq options appended: the test schema as `search_path` (followed by `public` when
    /// `includingPublic`, as the examples' processes use it), UTC, and an application name.
    package static func url(
        schema: String, includingPublic: Bool = false, applicationName: String = "streamkit-tests"
    ) -> String {
        let base = TestEnvironment.timescaleURL ?? "postgres://postgres@127.0.0.1:5432/postgres"
        let separator = base.contains("?") ? "&" : "?"
        let searchPath = includingPublic ? "\(schema),public" : schema
        let options =
            "-c search_path=\(searchPath) -c TimeZone=UTC"
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return base + separator + "options=\(options)&application_name=\(applicationName)"
    }

    /// Connects with `search_path` set to `schema` (then `public` when `includingPublic`).
    package static func connect(
        schema: String, includingPublic: Bool = false, applicationName: String = "streamkit-tests",
        reconnectPolicy: TimescaleConnection.ReconnectPolicy = .init()
    ) async throws -> TimescaleConnection {
        try await TimescaleConnection.connect(
            url(schema: schema, includingPublic: includingPublic, applicationName: applicationName),
            reconnectPolicy: reconnectPolicy)
    }

    /// Creates a fresh schema and returns a connection that works in it.
    package static func makeSchema(_ test: String, applicationName: String = "streamkit-tests") async throws -> (
        TimescaleConnection, String
    ) {
        let schema = makeSchemaName(test)
        _ = try await hasTimescaleExtension()  // creates the extension in `public` before a test's tables ask for it
        let admin = try await connect(schema: "public")
        try await admin.execute("CREATE SCHEMA \(try SQLIdentifier(schema))")
        return (try await connect(schema: schema, applicationName: applicationName), schema)
    }

    /// Creates `schema` if it does not exist and returns a connection whose `search_path` is `schema`, then
    /// `public`: as an example's process, given `url(schema:includingPublic:)`, sees the database.
    package static func makeExampleSchema(_ schema: String) async throws -> TimescaleConnection {
        let pg = try await connect(schema: schema, includingPublic: true)
        try await pg.execute("CREATE SCHEMA IF NOT EXISTS \(try SQLIdentifier(schema, setting: "schema"))")
        return pg
    }

    /// Drops a test schema and everything in it.
    package static func dropSchema(_ schema: String) async throws {
        let admin = try await connect(schema: "public")
        try await admin.execute("DROP SCHEMA IF EXISTS \(try SQLIdentifier(schema)) CASCADE")
    }

    /// The text of a single-value query, e.g. `SELECT count(*) FROM t`.
    package static func scalar(_ pg: TimescaleConnection, _ query: SQLQuery) async throws -> String? {
        let rows = try await pg.execute(query)
        try #require(rows.count == 1 && rows.columns.count == 1, "expected one value from \(query)")
        return rows[0][0]
    }
}
