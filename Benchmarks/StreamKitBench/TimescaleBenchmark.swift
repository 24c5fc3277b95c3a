import ArgumentParser
import Foundation
import StreamKit
import StreamKitTimescale

/// `streamkit-bench timescale`: rows/s into PostgreSQL through binary COPY and through the sink's idempotent
/// upsert path, beside psql's own `\copy` of the same rows.
struct TimescaleBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timescale",
        abstract: "Rows/s into PostgreSQL: binary COPY, upsert batches, INSERT, and psql's \\copy as the ceiling.",
        discussion: """
            Writes N market-tick rows (symbol, bid, ask, bid_volume, ask_volume, ts_event, sequence) into \
            fresh tables: StreamKit's binary COPY; a TimescaleSink upserting on (symbol, sequence), flushed \
            every --batch rows (pipelined MERGE INTO … USING unnest(arrays), or INSERT … ON CONFLICT); multi-row \
            INSERT statements with bind parameters (--insert-rows per statement); and psql's \\copy of the \
            same rows from a CSV file, into a plain table and into one with the same primary key. \
            Needs --url or TIMESCALE_URL (scripts/postgres start prints one); the URL is never printed.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Rows to write.")
    var rows = 1_000_000

    @Option(name: .long, help: "Rows per COPY / per upsert batch.")
    var batch = 50_000

    @Option(name: .long, help: "Rows per multi-row INSERT statement (7 bind parameters a row).")
    var insertRows = 1_000

    @OptionGroup var resultsFile: ResultOptions

    func validate() throws {
        guard rows > 0, batch > 0 else { throw ValidationError("--rows and --batch must be positive") }
        guard (1...9_000).contains(insertRows) else {
            throw ValidationError("--insert-rows must be 1…9000 (PostgreSQL allows 65 535 bind parameters)")
        }
    }

    func run() async throws {
        let conninfo = try database.resolved()
        let connection: TimescaleConnection
        do {
            connection = try await TimescaleConnection.connect(conninfo)
        } catch {
            // The library's message names host and port but never the password.
            throw BenchError("cannot connect to PostgreSQL (--url / TIMESCALE_URL): \(error)")
        }
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
        let upsertTime = try await Self.upsertThroughSink(ticks, batch: batch, into: upsertTable, on: connection)
        report.add("TimescaleSink upsert", Format.rate(rows, upsertTime))

        let insertTable = try await Self.freshTable("streamkit_bench_insert", upsertKey: [], on: connection)
        let progress = Progress("INSERT", total: rows, unit: "rows")
        let drawing = progress.start()
        started = ContinuousClock.now
        for chunk in stride(from: 0, to: ticks.count, by: insertRows) {
            try await connection.execute(
                Self.insert(ticks[chunk..<min(chunk + insertRows, ticks.count)], into: insertTable))
            progress.set(chunk + insertRows)
        }
        let insertTime = ContinuousClock.now - started
        progress.finish()
        await drawing.value
        report.add("multi-row INSERT", Format.rate(rows, insertTime))

        let copyRate = Format.perSecond(rows, copyTime)
        var figures = [
            BenchResult(
                section: .timescale, figure: "StreamKit binary COPY", recordsPerSecond: copyRate,
                target: "≥ 500,000 rows/s", isTargetMet: copyRate >= 500_000,
                note: "\(Format.grouped(rows)) rows, \(Format.grouped(batch)) per COPY"),
            BenchResult(
                section: .timescale, figure: "TimescaleSink upsert path: pipelined MERGE … USING unnest",
                recordsPerSecond: Format.perSecond(rows, upsertTime), target: "≥ 400,000 rows/s",
                isTargetMet: Format.perSecond(rows, upsertTime) >= 400_000,
                note: "\(Format.grouped(batch)) rows per flush (transaction), primary key (symbol, sequence); "
                    + "append → flush, chunks sent while rows come"),
            BenchResult(
                section: .timescale, figure: "batched INSERT with bind parameters",
                recordsPerSecond: Format.perSecond(rows, insertTime),
                note: "\(Format.grouped(insertRows)) rows per statement"),
        ]
        if let psqlTime = try await Self.psqlCopy(ticks, upsertKey: [], conninfo: conninfo, connection: connection),
            let keyedTime = try await Self.psqlCopy(
                ticks, upsertKey: ["symbol", "sequence"], conninfo: conninfo, connection: connection)
        {
            let ratio = copyRate / Format.perSecond(rows, psqlTime)
            let upsertRatio = Format.perSecond(rows, upsertTime) / Format.perSecond(rows, keyedTime)
            report.add("psql \\copy (CSV)", Format.rate(rows, psqlTime))
            report.add("psql \\copy (CSV), keyed table", Format.rate(rows, keyedTime))
            report.add("COPY / psql", Format.percent(ratio))
            report.add("upsert / psql into the keyed table", Format.percent(upsertRatio))
            figures += [
                BenchResult(
                    section: .timescale, figure: "psql \\copy, CSV (the ceiling)",
                    recordsPerSecond: Format.perSecond(rows, psqlTime),
                    note: "StreamKit's COPY reaches \(Format.percent(ratio)) of it"),
                BenchResult(
                    section: .timescale,
                    figure: "psql \\copy, CSV, into a table with the primary key (symbol, sequence)",
                    recordsPerSecond: Format.perSecond(rows, keyedTime),
                    note:
                        "the ceiling for keyed writes; the sink's upsert path reaches \(Format.percent(upsertRatio)) of it"
                ),
            ]
        } else {
            report.add("psql \\copy", "psql not found; skipped")
        }
        report.add("target", "binary COPY ≥ 500 k rows/s: \(copyRate >= 500_000 ? "met" : "NOT met")")
        let upsertRate = Format.perSecond(rows, upsertTime)
        report.add("target", "TimescaleSink upsert ≥ 400 k rows/s: \(upsertRate >= 400_000 ? "met" : "NOT met")")
        report.add("peak memory", Format.bytes(Machine.peakMemoryBytes))
        report.print()
        await connection.close()
        let peak = Machine.peakMemoryBytes
        for index in figures.indices { figures[index].peakMemoryBytes = peak }
        try resultsFile.emit(figures)
    }

    /// One multi-row `INSERT` of `rows`, every value a bind parameter.
    static func insert(_ rows: ArraySlice<TimescaleRow>, into table: TimescaleTable) throws -> SQLQuery {
        let names = try table.columns.map { try SQLIdentifier($0.name, setting: "column") }
        let tuples = rows.map { row in
            let values = row.values.map { value -> SQLQuery in "\(value)" }
            return "(" + SQLQuery.joined(values, separator: ", ") + ")"
        }
        return "INSERT INTO \(table.name) (\(identifiers: names)) VALUES " + SQLQuery.joined(tuples, separator: ", ")
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

    /// Appends `rows` to a ``TimescaleSink`` for `table` and flushes it every `batch` rows, as the runtime does at
    /// checkpoints; returns the time from the first append to the end of the last flush.
    static func upsertThroughSink(
        _ rows: [TimescaleRow], batch: Int, into table: TimescaleTable, on connection: TimescaleConnection
    ) async throws -> Duration {
        let sink = try TimescaleSink<TimescaleRow>(
            table: table, on: connection, batchSize: batch, maxBatchAge: nil, makeRow: { $0 })
        try await sink.prepare()
        let context = SinkContext(timestamp: EventTime(milliseconds: 0), position: nil, partition: 0)
        let checkpoint = SinkCheckpoint(group: "streamkit-bench", nextOffsets: [:])
        let started = ContinuousClock.now
        for (index, row) in rows.enumerated() {
            try sink.append(row, context: context)
            if (index + 1) % batch == 0 { try await sink.flush(checkpoint: checkpoint) }
        }
        try await sink.flush(checkpoint: checkpoint)
        return ContinuousClock.now - started
    }

    /// Times psql's `\copy` of the same rows from a CSV file into a fresh table with `upsertKey` as its primary
    /// key (none: a plain table); `nil` when psql is not installed.
    static func psqlCopy(
        _ rows: [TimescaleRow], upsertKey: [String], conninfo: String, connection: TimescaleConnection
    ) async throws -> Duration? {
        guard Psql.executable != nil else { return nil }
        let table = try await freshTable(
            upsertKey.isEmpty ? "streamkit_bench_psql" : "streamkit_bench_psql_keyed", upsertKey: upsertKey,
            on: connection)
        let file = Psql.temporaryFile("ticks")
        defer { try? FileManager.default.removeItem(at: file) }
        var csv = ""
        csv.reserveCapacity(rows.count * 80)
        for row in rows {
            csv += row.values.map(csvField).joined(separator: ",")
            csv += "\n"
        }
        try csv.write(to: file, atomically: false, encoding: .utf8)
        return try Psql.time("\\copy \(table.name.name.name) FROM '\(file.path)' WITH (FORMAT csv)", conninfo: conninfo)
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
