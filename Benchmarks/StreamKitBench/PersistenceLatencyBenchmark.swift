import ArgumentParser
import Foundation
import StreamKitTimescale

/// `streamkit-bench persistence-latency`: produce → row visible in PostgreSQL through `event-persistence` on its
/// embedded (in-process) cluster, at a fixed rate.
struct PersistenceLatencyBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "persistence-latency",
        abstract: "Produce → row visible latency (p50/p99) through event-persistence on its embedded cluster.",
        discussion: """
            Runs the event-persistence executable (--executable; default: next to this one) without a broker, so \
            it starts its in-process cluster and produces its demo events there at --rate for --seconds, each \
            stamped with its send time (ts_event_ms, stored as event_time), while it persists them into a fresh \
            schema. Meanwhile this process polls the events table every --poll-ms for rows on heap pages not \
            yet seen (a TID range scan) and records poll time − event_time for each new row: a row is visible \
            at most one poll interval before it is counted. Rows sent in the first second after the first row \
            became visible (group join, warm-up) are not counted. Needs --url or TIMESCALE_URL.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Events per second to produce.")
    var rate = 10_000

    @Option(name: .long, help: "Seconds to produce.")
    var seconds = 10

    @Option(name: .long, help: "Milliseconds between polls of the table.")
    var pollMs = 2

    @Option(name: .long, help: "event-persistence's --commit-interval-ms (default: its own, 20 ms); for A/B runs.")
    var commitIntervalMs: Int?

    @Option(name: .long, help: "The event-persistence executable. Default: the one next to streamkit-bench.")
    var executable: String?

    @OptionGroup var resultsFile: ResultOptions

    func validate() throws {
        guard rate > 0, seconds > 0, pollMs > 0 else {
            throw ValidationError("--rate, --seconds and --poll-ms must be positive")
        }
    }

    func run() async throws {
        let conninfo = try database.resolved()
        let program = try PersistenceBenchmark.siblingExecutable(executable, named: "event-persistence")
        let schema = "bench_latency_\(Machine.wallMilliseconds())"
        let schemaName = try SQLIdentifier(schema, setting: "schema")
        let events = SQLTableName(schema: schemaName, name: try SQLIdentifier("events"))
        let pg = try await TimescaleConnection.connect(conninfo)
        try await pg.execute("CREATE SCHEMA \(schemaName)")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments =
            [
                "--demo-events", "\(rate * seconds)", "--demo-rate", "\(rate)", "--timescale-url",
                Psql.url(conninfo, schema: schema), "--no-metrics",
            ] + (commitIntervalMs.map { ["--commit-interval-ms", "\($0)"] } ?? [])
        // Without KAFKA_BROKERS the example runs on its embedded cluster.
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "KAFKA_BROKERS" }
        process.standardOutput = FileHandle.nullDevice
        FileHandle.standardError.write(Data("persistence-latency: event-persistence at \(rate) events/s\n".utf8))
        try process.run()

        var observer = VisibleRowObserver(table: events)
        while process.isRunning {
            try await observer.poll(pg)
            try await Task.sleep(for: .milliseconds(pollMs))
        }
        try await observer.poll(pg)
        guard process.terminationStatus == 0 else {
            throw BenchError("event-persistence failed (exit \(process.terminationStatus))")
        }
        try await pg.execute("DROP SCHEMA \(schemaName) CASCADE")
        await pg.close()

        let latencies = observer.latencies.sorted()
        guard !latencies.isEmpty else { throw BenchError("no row became visible after the warm-up") }
        func percentile(_ p: Double) -> Int { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        let p99 = percentile(0.99)
        var report = Report(title: "streamkit-bench persistence-latency: produce → row visible, embedded cluster")
        report.add("rate", "\(Format.grouped(rate)) events/s for \(seconds) s")
        report.add("commit interval", commitIntervalMs.map { "\($0) ms" } ?? "event-persistence's default (20 ms)")
        report.add("rows timed", "\(Format.grouped(latencies.count)) of \(Format.grouped(observer.rowCount)) stored")
        report.add("p50", "\(percentile(0.5)) ms")
        report.add("p99", "\(p99) ms")
        report.add("max", "\(latencies.last!) ms")
        report.add("target", "p99 < 50 ms: \(p99 < 50 ? "met" : "NOT met")")
        report.print()
        try resultsFile.emit([
            BenchResult(
                section: .persistence,
                figure:
                    "event-persistence, produce → row visible at \(Format.grouped(rate)) events/s (embedded cluster)",
                recordsPerSecond: Double(rate), p50Milliseconds: Double(percentile(0.5)),
                p99Milliseconds: Double(p99), target: "p99 < 50 ms", isTargetMet: p99 < 50,
                note: "\(Format.grouped(latencies.count)) rows timed over \(seconds) s; max \(latencies.last!) ms; "
                    + "ms resolution, polled every \(pollMs) ms")
        ])
    }
}

/// Finds the rows added to a table since the last poll by reading only the heap pages from the last one seen
/// on (`ctid >= '(page,0)'`, a TID range scan), and times each new row as poll time − its `event_time`.
///
/// Only valid for a table that only grows (no updates that move rows, no vacuum reusing space): the benchmark's
/// fresh events table, whose upserts of unchanged events write nothing. A row the server puts on a page before the
/// last one seen (free space left there) is not timed; the report shows how many rows were seen.
struct VisibleRowObserver {
    let table: SQLTableName
    private var page = 0
    private var seenOnPage: Set<String> = []
    private var warmUpEndsMs: Int64?
    private(set) var latencies: [Int] = []
    private(set) var rowCount = 0

    init(table: SQLTableName) {
        self.table = table
    }

    mutating func poll(_ pg: TimescaleConnection) async throws {
        let now = Machine.wallMilliseconds()
        let rows: TimescaleQueryResult
        do {
            rows = try await pg.execute(
                """
                SELECT ctid::text, (extract(epoch FROM event_time) * 1000)::bigint FROM \(table)
                WHERE ctid >= \("(\(page),0)")::tid
                """)
        } catch {
            // 42P01: the example has not made the table yet.
            guard error.sqlState == "42P01" else { throw error }
            return
        }
        var lastPage = page
        var fresh: [(ctid: String, page: Int, sentMs: Int64)] = []
        for row in rows {
            guard let ctid = row[0], let sent = row[1].flatMap({ Int64($0) }), !seenOnPage.contains(ctid) else {
                continue
            }
            let rowPage = Int(ctid.dropFirst().prefix { $0 != "," }) ?? 0
            fresh.append((ctid, rowPage, sent))
            lastPage = max(lastPage, rowPage)
        }
        if lastPage != page { seenOnPage.removeAll() }
        page = lastPage
        for row in fresh {
            rowCount += 1
            if row.page == page { seenOnPage.insert(row.ctid) }
            let warmUpEnd = warmUpEndsMs ?? now + 1_000
            warmUpEndsMs = warmUpEnd
            if row.sentMs >= warmUpEnd { latencies.append(Int(now - row.sentMs)) }
        }
    }
}
