import ArgumentParser
import Foundation
import StreamKitKafka
import StreamKitTimescale

/// `streamkit-bench persistence`: `event-persistence --backtest` as a whole process, events/s into PostgreSQL,
/// beside psql's `\copy` of the rows it stored.
struct PersistenceBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "persistence",
        abstract: "Events/s through `event-persistence --backtest` into PostgreSQL, beside psql's \\copy.",
        discussion: """
            Produces N JSON events to a fresh topic (--partitions partitions): 1 % bad (dead-lettered), 5 % \
            redeliveries of an earlier event, the rest distinct. Then runs the event-persistence executable \
            (--executable; default: next to this one) with --backtest into a fresh schema and times the whole \
            process, start to exit. Checks the integrity query COUNT(*) = COUNT(DISTINCT event_id) = the \
            distinct events sent and the dead-letter count in its summary, then times psql's \\copy of the \
            stored rows (exported to CSV) into an empty table of the same shape. Needs --brokers or \
            KAFKA_BROKERS and --url or TIMESCALE_URL.
            """)

    @OptionGroup var broker: BrokerOptions

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Events to produce.")
    var records = 300_000

    @Option(name: .long, help: "Partitions of the input topic.")
    var partitions = 3

    @Option(name: .long, help: "The event-persistence executable. Default: the one next to streamkit-bench.")
    var executable: String?

    @OptionGroup var resultsFile: ResultOptions

    func validate() throws {
        guard records > 0, partitions > 0 else { throw ValidationError("--records and --partitions must be positive") }
    }

    func run() async throws {
        let brokers = try broker.resolved()
        let conninfo = try database.resolved()
        let program = try Self.siblingExecutable(executable, named: "event-persistence")
        let runID = Machine.wallMilliseconds()
        let prefix = "streamkit-bench.persist.\(runID)."
        let topic = prefix + "events"
        let schema = "bench_persist_\(runID)"
        let schemaName = try SQLIdentifier(schema, setting: "schema")
        let pg = try await TimescaleConnection.connect(conninfo)
        try await pg.execute("CREATE SCHEMA \(schemaName)")
        let admin = try KafkaAdmin(configuration: KafkaBenchmark.consumerConfiguration(brokers))
        try await admin.createTopics([KafkaTopicSpecification(name: topic, partitions: partitions)])
        let feed = try await Self.produce(records: records, topic: topic, runID: runID, brokers: brokers)

        let schemaURL = Psql.url(conninfo, schema: schema)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = [
            "--backtest", "--brokers", brokers, "--topic-prefix", prefix, "--topics", "events",
            "--app-id", prefix + "persist", "--timescale-url", schemaURL, "--no-metrics",
        ]
        let output = Pipe()
        process.standardOutput = output
        FileHandle.standardError.write(Data("persistence: running event-persistence --backtest\n".utf8))
        let started = ContinuousClock.now
        try process.run()
        let stdout = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - started
        let cpu = Self.childrenCPUTime
        guard process.terminationStatus == 0 else {
            throw BenchError("event-persistence failed (exit \(process.terminationStatus)):\n\(stdout.suffix(2_000))")
        }

        let events = SQLTableName(schema: schemaName, name: try SQLIdentifier("events"))
        let counts = try await pg.execute("SELECT count(*), count(DISTINCT event_id) FROM \(events)")
        let rowCount = Int(counts.first?[0] ?? "") ?? -1
        let distinctIDs = Int(counts.first?[1] ?? "") ?? -1
        let deadLettered = Self.deadLettered(in: stdout)
        let isIntact =
            rowCount == feed.distinctEvents && distinctIDs == feed.distinctEvents && deadLettered == feed.badEvents
        let psqlTime = try await Self.psqlCopyOfStoredRows(events, conninfo: schemaURL, on: pg)
        try await pg.execute("DROP SCHEMA \(schemaName) CASCADE")
        await pg.close()

        let rate = Format.perSecond(records, elapsed)
        var report = Report(title: "streamkit-bench persistence: event-persistence --backtest into PostgreSQL")
        report.add("broker", brokers)
        report.add(
            "events",
            "\(Format.grouped(records)) on \(topic) (\(partitions) partitions): \(Format.grouped(feed.distinctEvents)) "
                + "distinct, \(Format.grouped(feed.redeliveries)) redelivered, \(Format.grouped(feed.badEvents)) bad")
        report.add("event-persistence, whole process", "\(Format.rate(records, elapsed)) in \(Format.seconds(elapsed))")
        report.add("CPU per event (process)", String(format: "%.2f µs", cpu / .microseconds(1) / Double(records)))
        report.add(
            "integrity",
            "COUNT(*) \(rowCount), COUNT(DISTINCT event_id) \(distinctIDs), dead-lettered \(deadLettered.map(String.init) ?? "?"): "
                + (isIntact ? "exact" : "NOT exact"))
        if let psqlTime { report.add("psql \\copy of the stored rows", Format.rate(rowCount, psqlTime)) }
        report.add("target", "≥ 100,000 events/s: \(rate >= 100_000 ? "met" : "NOT met")")
        report.print()
        guard isIntact else { throw BenchError("the table or the dead letters do not match what was sent") }

        var figures = [
            BenchResult(
                section: .persistence, figure: "event-persistence --backtest, whole process", recordsPerSecond: rate,
                cpuNanosecondsPerRecord: BenchResult.cpuNanoseconds(cpu, per: records), target: "≥ 100,000 events/s",
                isTargetMet: rate >= 100_000,
                note: "\(Format.grouped(records)) events (\(Format.grouped(feed.distinctEvents)) distinct, 5 % "
                    + "redelivered, 1 % bad), \(partitions) partitions, upserts by event_id; COUNT(*) = COUNT(DISTINCT "
                    + "event_id) = distinct sent, every bad one dead-lettered")
        ]
        if let psqlTime {
            figures.append(
                BenchResult(
                    section: .persistence, figure: "psql \\copy of the same rows (CSV, into an empty events table)",
                    recordsPerSecond: Format.perSecond(rowCount, psqlTime),
                    note: "\(Format.grouped(rowCount)) rows with the primary key on event_id"))
        }
        try resultsFile.emit(figures)
    }

    /// Produces the feed's records with the idempotent producer.
    static func produce(records: Int, topic: String, runID: Int64, brokers: String) async throws -> PersistenceFeed {
        var configuration = KafkaBenchmark.consumerConfiguration(brokers)
        configuration.enableIdempotence = true
        configuration.linger = .milliseconds(5)
        configuration.properties["queue.buffering.max.messages"] = "1000000"
        let producer = try KafkaProducer(configuration: configuration)
        var feed = PersistenceFeed(topic: topic, total: records, runID: runID)
        while try !feed.enqueue(into: producer) { try await Task.sleep(for: .milliseconds(1)) }
        try await producer.flush(timeout: .seconds(300))
        return feed
    }

    /// Exports the stored events to CSV and times psql's `\copy` of them into an empty table of the same shape.
    static func psqlCopyOfStoredRows(_ events: SQLTableName, conninfo: String, on pg: TimescaleConnection)
        async throws -> Duration?
    {
        guard Psql.executable != nil else { return nil }
        let file = Psql.temporaryFile("events")
        defer { try? FileManager.default.removeItem(at: file) }
        _ = try Psql.time("\\copy \(events) TO '\(file.path)' WITH (FORMAT csv)", conninfo: conninfo)
        let copy = SQLTableName(schema: events.schema, name: try SQLIdentifier("events_psql"))
        try await pg.execute("CREATE TABLE \(copy) (LIKE \(events) INCLUDING ALL)")
        return try Psql.time("\\copy \(copy) FROM '\(file.path)' WITH (FORMAT csv)", conninfo: conninfo)
    }

    /// The count in the summary line `… N dead-lettered to …`.
    static func deadLettered(in stdout: String) -> Int? {
        guard let line = stdout.split(separator: "\n").last(where: { $0.hasPrefix("read ") }),
            let range = line.range(of: " dead-lettered")
        else { return nil }
        return Int(line[..<range.lowerBound].split(separator: " ").last ?? "")
    }

    /// `path`, or the executable `name` in the directory of this one.
    static func siblingExecutable(_ path: String?, named name: String) throws -> String {
        let candidate =
            path
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
            .path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw BenchError("\(candidate) is not an executable: build it (swift build -c release --product \(name))")
        }
        return candidate
    }

    /// CPU time (user + system) of the children this process has waited for.
    static var childrenCPUTime: Duration {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        func duration(_ time: timeval) -> Duration { .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec)) }
        return duration(usage.ru_utime) + duration(usage.ru_stime)
    }
}
