import ArgumentParser
import ExampleSupport
import Foundation
import Logging
import StreamKit
import StreamKitTimescale

/// Persists events from Kafka topics into PostgreSQL: a consumer group, retries, a dead-letter topic, and one row
/// per `event_id`.
@main
struct EventPersistenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event-persistence",
        abstract: "Persist events from Kafka topics into PostgreSQL, once per event_id, dead-lettering bad ones.",
        discussion: """
            Reads the --topics (default: the event bus's bank.transactions and market.price.updates) in the \
            consumer group --app-id; run more instances with the same id to share the partitions. Every JSON \
            object with a non-empty event_id, an event_type and a ts_event_ms is stored in the table (default \
            'events': event_id, event_type, source_topic, event_key, event_time, payload jsonb), upserted on \
            event_id, so redelivered and replayed events leave one row. Anything else goes to the dead-letter \
            topic with the reason in the streamkit.error header. A batch that fails on a transient database error \
            (lost connection, serialization failure, deadlock) is retried with exponential backoff; offsets are \
            committed only after the batch is stored, so a crash replays, and the upsert absorbs the replay.
            On the embedded cluster (no --brokers, no KAFKA_BROKERS) it first produces --demo-events simulated \
            events, duplicates and bad ones among them, and stops when they are all handled.
            While it runs, /metrics (Prometheus), /health and /ready answer on --metrics-port (default 9464); \
            SIGTERM or SIGINT stops it after storing the batch in hand and committing its offsets.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var naming: NamingOptions

    @Option(parsing: .upToNextOption, help: "Input topics (the --topic-prefix is put in front of each).")
    var topics = EventPersistencePipeline.defaultTopics

    @Option(help: "Where events that cannot be stored go, with the reason in a header.")
    var deadLetterTopic = "events.dead-letter"

    @Option(help: "The table the events are stored in ('name' or 'schema.name'); created when missing.")
    var table = "events"

    @Option(help: "Attempts per batch on transient database errors (and per reconnect).")
    var dbAttempts = 5

    @Option(help: "The first retry's delay in milliseconds; it doubles with each attempt, up to 5 s.")
    var dbBackoffMs = 100

    @Option(
        help: ArgumentHelp(
            "Simulated events to produce to the input topics first, some duplicated, some bad.",
            discussion: "Default: 200 on the embedded cluster, none on a real one."))
    var demoEvents: Int?

    @Option(
        help: ArgumentHelp(
            "Simulated events per second, sent while the stage runs (each stamped when sent); 0 sends them first.",
            discussion: "With a rate the stage stops 2 s after the last event; latency benchmarks use it."))
    var demoRate = 0

    @Option(help: "Random seed of the simulated events.")
    var seed: UInt64 = 42

    @OptionGroup var replay: ReplayOptions

    @Option(
        help: ArgumentHelp(
            "Milliseconds between commits: a database transaction with the events since the last, then the offsets.",
            discussion: """
                Default: 20 (events are visible in the table within tens of milliseconds), and 1000 with \
                --backtest, where throughput counts and not latency.
                """))
    var commitIntervalMs: Int?

    @Option(help: "The most events per commit; more events than that commit early.")
    var batchSize = 50_000

    @Option(help: "Rows of the table kept on a terminal (the table is shown only there).")
    var show = 20

    @OptionGroup var operations: OperationsOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard !topics.isEmpty else { throw ValidationError("--topics needs at least one topic") }
        guard dbAttempts >= 1 else { throw ValidationError("--db-attempts must be at least 1") }
        guard dbBackoffMs >= 1 else { throw ValidationError("--db-backoff-ms must be at least 1") }
        if let demoEvents, demoEvents < 0 { throw ValidationError("--demo-events must not be negative") }
        guard demoRate >= 0 else { throw ValidationError("--demo-rate must not be negative") }
        guard show > 0 else { throw ValidationError("--show must be positive") }
        if let commitIntervalMs, commitIntervalMs < 1 {
            throw ValidationError("--commit-interval-ms must be at least 1")
        }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        do {
            _ = try StoredEvent.table(named: table)
        } catch {
            throw ValidationError("--table '\(table)': \(error)")
        }
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "event-persistence")
        let broker = try connection.makeBroker(logger: logger)
        let deadLetters = naming.topic(deadLetterTopic)
        let runner = ExampleRunner(operations, logger: logger)
        let demoCount = demoEvents ?? (connection.resolvedBrokers == nil ? 200 : 0)
        // A demonstration without a rate is a backtest over the events it produced first.
        let isBacktest = replay.backtest || (demoCount > 0 && demoRate == 0)
        let app = try StreamApp(
            name: replay.applicationName(naming.appName(default: "event-persistence")), broker: broker,
            instanceID: naming.instanceID, checkpoint: checkpointPolicy(isBacktest: isBacktest),
            errors: .deadLetter(deadLetters),
            logger: logger, metrics: runner.metrics)
        let counters = PersistenceCounters()
        let database = try await makeDatabaseSink(logger: logger)
        // Off a terminal (a pipe, a log file) a row per event would cost more than storing it; the closing line
        // and /metrics tell the counts.
        let table =
            isatty(STDOUT_FILENO) == 1 ? EventPersistencePipeline.liveTable(show: show, counters: counters) : nil
        let pipeline = EventPersistencePipeline(
            app: app, inputs: topics.map(naming.topic), deadLetterTopic: deadLetters, counters: counters,
            table: table, database: database)
        let inputNames = pipeline.inputs.map { $0.name }

        let feed = DemoFeed(count: demoCount, seed: seed, rate: demoRate)
        let produceFeed: @Sendable () async throws -> Void = {
            let produced = try await feed.produce(
                to: broker, bankTopic: inputNames[0], priceTopic: inputNames[min(1, inputNames.count - 1)])
            let perTopic = produced.sorted { $0.key < $1.key }.map { topic, count in "\(count) to \(topic)" }
            Console.line("produced \(demoCount) simulated events (\(perTopic.joined(separator: ", ")))")
        }
        if demoCount > 0 && demoRate == 0 { try await produceFeed() }
        let destination =
            database.map { "table \($0.table.name)" } ?? "no database (set --timescale-url or TIMESCALE_URL)"
        Console.line(
            "persisting events from \(inputNames.joined(separator: ", ")) as \(app.name) via "
                + "\(connection.kafkaDescription) to \(destination); bad events to \(deadLetters)")
        if demoCount > 0 && demoRate > 0 {
            // The topics first, with their partitions, before the stage would create them with one each.
            try await DemoFeed.createTopics(
                on: broker, bankTopic: inputNames[0], priceTopic: inputNames[min(1, inputNames.count - 1)])
            // Events sent while the stage runs: from when it holds its partitions (joining the group takes
            // seconds), so that each event's time to its row is the stage's and not the join's; it ends once
            // they stop coming.
            let producing = Task {
                try await Self.waitUntilRunning(app)
                try await produceFeed()
            }
            try await runner.run(app, mode: .untilIdle(.seconds(2)), stoppingAfter: replay.runDuration)
            try await producing.value
        } else if demoCount > 0 {
            // A demonstration ends once its events are handled.
            try await runner.run(app, mode: .backtest, stoppingAfter: replay.runDuration)
        } else {
            try await replay.run(app, with: runner)
        }
        Console.line(summary(counters: counters, database: database, deadLetters: deadLetters))
    }

    /// Waits until `app` holds partitions and has restored them (or has stopped), checking every 10 ms.
    private static func waitUntilRunning(_ app: StreamApp) async throws {
        while true {
            let status = app.status.snapshot
            if status.phase == .running && status.isRestored && !status.assignedPartitions.isEmpty { return }
            if status.phase == .failed || status.phase == .stopped { return }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// When the stage commits: every `--commit-interval-ms` or `--batch-size` events, whichever comes first.
    private func checkpointPolicy(isBacktest: Bool) -> CheckpointPolicy {
        let interval = commitIntervalMs ?? (isBacktest ? 1_000 : 20)
        return CheckpointPolicy(records: batchSize, interval: .milliseconds(interval))
    }

    /// The sink for the events table, with its table created now, or `nil` without a database.
    private func makeDatabaseSink(logger: Logger) async throws -> TimescaleSink<StoredEvent>? {
        let backoff = TimescaleConnection.ReconnectPolicy(
            maxAttempts: dbAttempts, initialDelay: .milliseconds(dbBackoffMs), maxDelay: .seconds(5))
        guard let pg = try connection.makeTimescaleConnection(reconnectPolicy: backoff, logger: logger) else {
            return nil
        }
        // The checkpoint policy decides when the sink writes; its batch size only bounds what it holds.
        let sink = try TimescaleSink<StoredEvent>(
            table: StoredEvent.table(named: table), on: pg, batchSize: batchSize, maxBatchAge: nil,
            maxAttempts: dbAttempts, logger: logger, makeRow: \.row)
        try await sink.prepareAtStart()
        return sink
    }

    private func summary(
        counters: PersistenceCounters, database: TimescaleSink<StoredEvent>?, deadLetters: String
    ) -> String {
        let stored: String
        if let statistics = database?.statistics {
            let duplicates = statistics.writtenRowCount - statistics.changedRowCount
            stored =
                "\(counters.accepted) stored as \(statistics.changedRowCount) new or changed rows and "
                + "\(duplicates) duplicates left alone"
        } else {
            stored = "\(counters.accepted) events to store"
        }
        return "read \(counters.read) records: \(stored), \(counters.rejected) dead-lettered to \(deadLetters)"
    }
}
