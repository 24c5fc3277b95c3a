import ArgumentParser
import Foundation
import StreamKitTimescale

/// `streamkit-bench timescale`: rows/s into PostgreSQL through binary COPY and through the idempotent
/// staging-table upsert, beside psql's own `\copy` of the same rows.
struct TimescaleBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timescale",
        abstract: "Rows/s into PostgreSQL: binary COPY, upsert batches, and psql's \\copy as the ceiling.",
        discussion: """
            Writes N market-tick rows (symbol, bid, ask, bid_volume, ask_volume, ts_event, sequence) into \
            fresh tables three ways: StreamKit's binary COPY, StreamKit's batch writer (COPY into a staging \
            table, then INSERT … ON CONFLICT on (symbol, sequence)), and psql's \\copy of the same rows \
            from a CSV file. Needs --url or TIMESCALE_URL (scripts/postgres start prints one).
            """)

    @Option(name: .long, help: "libpq URL or key=value string. Default: the TIMESCALE_URL environment variable.")
    var url: String?

    @Option(name: .long, help: "Rows to write.")
    var rows = 1_000_000

    @Option(name: .long, help: "Rows per COPY / per upsert batch.")
    var batch = 50_000

    func validate() throws {
        guard rows > 0, batch > 0 else { throw ValidationError("--rows and --batch must be positive") }
    }

    func run() async throws {
        guard let conninfo = url ?? Machine.environment("TIMESCALE_URL"), !conninfo.isEmpty else {
            throw ValidationError("no database: pass --url or set TIMESCALE_URL (scripts/postgres start prints one)")
        }
        let connection = try await TimescaleConnection.connect(conninfo)
        let ticks = Self.makeRows(rows)
        var report = Report(title: "streamkit-bench timescale: \(Format.grouped(rows)) tick rows, batches of \(batch)")

        let copyTable = try await Self.freshTable("streamkit_bench_copy", upsertKey: [], on: connection)
        var started = ContinuousClock.now
        for chunk in stride(from: 0, to: ticks.count, by: batch) {
            try await connection.copy(
                into: copyTable.name, columns: copyTable.columns,
                rows: Array(ticks[chunk..<min(chunk + batch, ticks.count)]))
        }
        let copyTime = ContinuousClock.now - started
        report.add("binary COPY", Format.rate(rows, copyTime))

        let upsertTable = try await Self.freshTable(
            "streamkit_bench_upsert", upsertKey: ["symbol", "sequence"], on: connection)
        let writer = try await TimescaleBatchWriter.make(connection: connection, table: upsertTable)
        started = ContinuousClock.now
        for chunk in stride(from: 0, to: ticks.count, by: batch) {
            try await writer.write(Array(ticks[chunk..<min(chunk + batch, ticks.count)]))
        }
        let upsertTime = ContinuousClock.now - started
        report.add("staging + upsert", Format.rate(rows, upsertTime))

        if let psqlTime = try await Self.psqlCopy(ticks, conninfo: conninfo, connection: connection) {
            report.add("psql \\copy (CSV)", Format.rate(rows, psqlTime))
            report.add(
                "COPY / psql", Format.percent(Format.perSecond(rows, copyTime) / Format.perSecond(rows, psqlTime)))
        } else {
            report.add("psql \\copy", "psql not found; skipped")
        }
        report.add("target", "binary COPY ≥ 500 k rows/s")
        report.add("peak memory", Format.bytes(Machine.peakMemoryBytes))
        report.print()
        await connection.close()
    }

    /// Tick rows with a random-walk mid and per-symbol sequences.
    static func makeRows(_ count: Int) -> [TimescaleRow] {
        let symbols = ["TTF-GAS", "NBP-GAS", "EUA-CO2", "BRENT", "POWER-DE"]
        let start = Machine.wallMilliseconds() - Int64(count)
        return (0..<count).map { i in
            let mid = 30 + Double(i % 997) / 100
            return [
                .text(symbols[i % symbols.count]), .float64(mid - 0.05), .float64(mid + 0.05),
                .float64(Double(i % 500)), .float64(Double(i % 300)),
                .timestamptz(TimescaleTimestamp(millisecondsSinceUnixEpoch: start + Int64(i))),
                .int64(Int64(i / symbols.count)),
            ]
        }
    }

    static let columns = [
        TimescaleColumn("symbol", .text, isNullable: false), TimescaleColumn("bid", .doublePrecision),
        TimescaleColumn("ask", .doublePrecision), TimescaleColumn("bid_volume", .doublePrecision),
        TimescaleColumn("ask_volume", .doublePrecision), TimescaleColumn("ts_event", .timestamptz),
        TimescaleColumn("sequence", .bigint, isNullable: false),
    ]

    /// Drops and recreates a benchmark table (plain; no TimescaleDB policies).
    static func freshTable(
        _ name: String, upsertKey: [String], on connection: TimescaleConnection
    ) async throws -> TimescaleTable {
        let table = try TimescaleTable(
            name: name, columns: columns, upsertKey: upsertKey, compression: nil, retention: nil)
        try await connection.execute("DROP TABLE IF EXISTS \(table.name)")
        _ = try await connection.ensureSchema(for: table)
        return table
    }

    /// Times psql's `\copy` of the same rows from a CSV file; `nil` when psql is not installed.
    static func psqlCopy(
        _ rows: [TimescaleRow], conninfo: String, connection: TimescaleConnection
    ) async throws -> Duration? {
        guard
            let psql = ["/usr/bin/psql", "/usr/lib/postgresql/15/bin/psql"].first(
                where: FileManager.default.isExecutableFile)
        else {
            return nil
        }
        let table = try await freshTable("streamkit_bench_psql", upsertKey: [], on: connection)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("streamkit-bench-\(getpid()).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        var csv = ""
        csv.reserveCapacity(rows.count * 80)
        for row in rows {
            csv += row.values.map(csvField).joined(separator: ",")
            csv += "\n"
        }
        try csv.write(to: file, atomically: false, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: psql)
        // The connection string goes through the environment-free argument list of a child we start and
        // wait for; it is never printed.
        process.arguments = [
            "--quiet", "--no-psqlrc", "--dbname", conninfo, "--command",
            "\\copy \(table.name.name.name) FROM '\(file.path)' WITH (FORMAT csv)",
        ]
        let started = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("psql \\copy failed (exit \(process.terminationStatus))")
        }
        return ContinuousClock.now - started
    }

    static func csvField(_ value: TimescaleValue) -> String {
        switch value {
        case .text(let text): return text
        case .float64(let number): return String(number)
        case .int64(let number): return String(number)
        case .timestamptz(let time):
            let date = Date(timeIntervalSince1970: Double(time.microsecondsSinceUnixEpoch) / 1_000_000)
            return date.formatted(
                .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
        default: return ""
        }
    }
}
