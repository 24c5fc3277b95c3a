import Foundation
import StreamKit
import StreamKitKafka
import StreamKitTestSupport
import StreamKitTimescale
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `event-persistence` against the separate broker and PostgreSQL: one row per event, bad events dead-lettered
/// with their reasons, replays and transient database errors absorbed.
@Suite(.enabled(if: TestEnvironment.hasKafkaAndTimescale, SkipReason.noKafkaOrTimescale))
struct EventPersistenceTests {
    @Test func storesEachEventOnceAndDeadLettersBadOnesWithReasons() async throws {
        let prefix = TestEnvironment.uniqueName("persist") + "."
        let (schema, pg) = try await makeSchema()
        let input = PersistenceInput(prefix: prefix)
        try await EventTopics.create([input.bankTopic, input.priceTopic])
        try await EventTopics.produce(PersistenceInput.tuples(input.all))

        let run = try ExampleProcess(
            "event-persistence",
            [
                "--backtest", "--topic-prefix", prefix, "--app-id", prefix + "persist", "--timescale-url",
                TestDatabase.url(schema: schema, includingPublic: true),
            ])
        try await run.expectSuccess()

        #expect(try await storedRows(pg) == input.expectedRows)
        let payloads = try await pg.execute("SELECT event_id, payload::text FROM events")
        let sent = Dictionary(uniqueKeysWithValues: input.events.map { (id(of: $0.value), $0.value) })
        for row in payloads {
            #expect(try json(row[1] ?? "") == json(sent[row[0] ?? ""] ?? ""))
        }

        let deadLetters = try await KafkaTestSupport.consume([prefix + "events.dead-letter"], count: input.bad.count)
        #expect(deadLetters.count == input.bad.count)
        for bad in input.bad {
            let letter = try #require(deadLetters.first { $0.value == Array(bad.record.value.utf8) })
            let reason = EventTopics.header(DeadLetterHeader.error, of: letter) ?? ""
            #expect(reason.contains(bad.reason), "\(bad.record.value): \(reason)")
            #expect(EventTopics.header(DeadLetterHeader.sourceTopic, of: letter) == input.bankTopic)
            #expect(EventTopics.key(letter) == bad.record.key)
        }

        let read = input.events.count + input.redeliveries.count + input.bad.count
        let stored = input.events.count + input.redeliveries.count
        #expect(
            run.stdout.contains(
                "read \(read) records: \(stored) stored as \(input.events.count) new or changed rows and "
                    + "\(input.redeliveries.count) duplicates left alone, \(input.bad.count) dead-lettered"))
    }

    @Test func aRestartThatReplaysFromTheBeginningLeavesOneRowPerEvent() async throws {
        let prefix = TestEnvironment.uniqueName("persist-replay") + "."
        let (schema, pg) = try await makeSchema()
        let input = PersistenceInput(prefix: prefix, count: 30)
        try await EventTopics.create([input.bankTopic, input.priceTopic])
        try await EventTopics.produce(PersistenceInput.tuples(input.all))
        let arguments = [
            "--backtest", "--topic-prefix", prefix, "--app-id", prefix + "persist", "--timescale-url",
            TestDatabase.url(schema: schema, includingPublic: true),
        ]
        try await ExampleProcess("event-persistence", arguments).expectSuccess()
        let before = try await storedRows(pg)
        #expect(before == input.expectedRows)

        // The same group: everything is committed, nothing is read again.
        let again = try ExampleProcess("event-persistence", arguments)
        try await again.expectSuccess()
        #expect(again.stdout.contains("read 0 records"))

        // From the beginning, under a fresh group: every record again, and no row added or changed.
        let replay = try ExampleProcess("event-persistence", arguments + ["--from-beginning"])
        try await replay.expectSuccess()
        let stored = input.events.count + input.redeliveries.count
        #expect(
            replay.stdout.contains(
                "\(stored) stored as 0 new or changed rows and \(stored) duplicates left alone"))
        #expect(try await storedRows(pg) == before)
    }

    @Test func aLostDatabaseConnectionIsRetriedWithoutLosingOrDuplicatingEvents() async throws {
        let prefix = TestEnvironment.uniqueName("persist-retry") + "."
        let (schema, pg) = try await makeSchema()
        let first = PersistenceInput(prefix: prefix, count: 20)
        let second = PersistenceInput(prefix: prefix, count: 20, first: 101)
        try await EventTopics.create([first.bankTopic, first.priceTopic])
        let applicationName = schema
        let service = try ExampleProcess(
            "event-persistence",
            [
                "--topic-prefix", prefix, "--app-id", prefix + "persist", "--db-backoff-ms", "50", "--timescale-url",
                TestDatabase.url(schema: schema, includingPublic: true, applicationName: applicationName),
            ])

        try await EventTopics.produce(PersistenceInput.tuples(first.events))
        try await waitForRows(first.events.count, pg, service)
        // Every connection of the service is cut, as in a database failover.
        let terminated = try await pg.execute(
            """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name = \(applicationName) AND pid <> pg_backend_pid()
            """)
        #expect(terminated.count >= 1)
        try await EventTopics.produce(PersistenceInput.tuples(second.events + second.redeliveries))
        try await waitForRows(first.events.count + second.events.count, pg, service)

        #expect(service.exitStatus == nil, "the service stopped: \(service.outputSummary)")
        #expect(service.stderr.contains("retrying"))
        #expect(try await storedRows(pg) == (first.expectedRows + second.expectedRows).sorted())
        service.send(SIGKILL)
        try await service.waitForExit(within: .seconds(30))
    }

    /// Seed 004: SIGKILL mid-stream, then a restart in the same group reads on from the committed offsets. The
    /// integrity query holds: one row per distinct event sent, and every bad record is among the dead letters.
    @Test func aSIGKILLMidStreamAndARestartLeaveOneRowPerEventAndEveryBadOneDeadLettered() async throws {
        let prefix = TestEnvironment.uniqueName("persist-kill") + "."
        let (schema, pg) = try await makeSchema()
        let stream = PersistenceStream(topic: prefix + "events", count: 60_000)
        try await EventTopics.create([stream.topic])
        try await stream.produce(to: try #require(TestEnvironment.kafkaBrokers))
        // One static group member (`group.instance.id`) for both processes, so the restart takes the killed one's
        // place at once: the development broker never evicts a dead dynamic member.
        let arguments = [
            "--topic-prefix", prefix, "--topics", "events", "--app-id", prefix + "persist", "--timescale-url",
            TestDatabase.url(schema: schema, includingPublic: true), "--no-metrics", "--kafka-property",
            "session.timeout.ms=6000",
            "--kafka-property", "heartbeat.interval.ms=500", "--kafka-property", "group.instance.id=\(prefix)persist-0",
        ]

        let first = try ExampleProcess("event-persistence", arguments)
        try await waitForRows(atLeast: 5_000, pg, first)
        first.send(SIGKILL)
        #expect(try await first.waitForExit(within: .seconds(30)) == .signalled(SIGKILL))
        let storedAtKill = try await pg.execute("SELECT count(*) FROM events").first?[0].flatMap { Int($0) } ?? 0
        #expect(storedAtKill < stream.eventIDs.count, "killed mid-stream")

        try await ExampleProcess("event-persistence", arguments + ["--backtest"]).expectSuccess(within: .seconds(300))
        try await expectIntegrity(pg, stream, deadLetterTopic: prefix + "events.dead-letter")
    }

    /// Scale-out: a second instance joins while the first writes, the first is SIGKILLed, the second is stopped with
    /// SIGTERM, then both finish the input as backtests. Events keep coming in between. At least once, with
    /// database writes overlapping processing: one row per distinct event sent, every bad record dead-lettered.
    @Test func twoInstancesJoiningDyingAndStoppingLeaveOneRowPerEvent() async throws {
        let prefix = TestEnvironment.uniqueName("persist-scale") + "."
        let (schema, pg) = try await makeSchema()
        let stream = PersistenceStream(topic: prefix + "events", count: 90_000)
        let brokers = try #require(TestEnvironment.kafkaBrokers)
        try await EventTopics.create([stream.topic])
        // Static members (`group.instance.id`): the development broker never evicts a dead dynamic member.
        func arguments(instance: Int) -> [String] {
            [
                "--topic-prefix", prefix, "--topics", "events", "--app-id", prefix + "persist", "--timescale-url",
                TestDatabase.url(schema: schema, includingPublic: true), "--no-metrics", "--log-level", "info",
                "--kafka-property", "session.timeout.ms=6000", "--kafka-property", "heartbeat.interval.ms=500",
                "--kafka-property", "group.instance.id=\(prefix)persist-\(instance)",
            ]
        }
        func rows() async throws -> Int {
            try await pg.execute("SELECT count(*) FROM events").first?[0].flatMap { Int($0) } ?? 0
        }

        try await stream.produce(to: brokers, range: 0..<30_000)
        let first = try ExampleProcess("event-persistence", arguments(instance: 0))
        try await waitForRows(atLeast: 5_000, pg, first)
        let second = try ExampleProcess("event-persistence", arguments(instance: 1))
        try await stream.produce(to: brokers, range: 30_000..<60_000)
        try await second.waitForOutput("partitions assigned and restored")
        first.send(SIGKILL)
        #expect(try await first.waitForExit(within: .seconds(30)) == .signalled(SIGKILL))
        let storedAtKill = try await rows()
        try await stream.produce(to: brokers, range: 60_000..<90_000)
        // The second instance goes on with its partitions (and the first's, once its session expires).
        try await second.waitUntil("more rows after the kill", within: .seconds(60), every: .milliseconds(100)) {
            try await rows() > storedAtKill
        }
        second.send(SIGTERM)
        #expect(try await second.waitForExit(within: .seconds(30)) == .exited(0))
        #expect(try await rows() < stream.eventIDs.count, "stopped before the end of the input")

        // Both instances again, as backtests: each reads its partitions from the committed offsets to the end.
        let finishers = try [0, 1].map { instance in
            try ExampleProcess("event-persistence", arguments(instance: instance) + ["--backtest"])
        }
        for finisher in finishers { try await finisher.expectSuccess(within: .seconds(300)) }
        try await expectIntegrity(pg, stream, deadLetterTopic: prefix + "events.dead-letter")
    }

    // MARK: - Helpers

    /// The integrity query: one row per distinct good event of `stream`, and every bad record among the dead
    /// letters (at least once, one read again after a crash is dead-lettered again, so each is looked for).
    private func expectIntegrity(
        _ pg: TimescaleConnection, _ stream: PersistenceStream, deadLetterTopic: String
    ) async throws {
        let integrity = try await pg.execute("SELECT count(*), count(DISTINCT event_id) FROM events")
        #expect(integrity.first?[0] == "\(stream.eventIDs.count)")
        #expect(integrity.first?[1] == "\(stream.eventIDs.count)")
        let ids = Set(try await pg.execute("SELECT event_id FROM events").compactMap { $0[0] })
        #expect(ids == stream.eventIDs)
        var missing = stream.badValues
        let deadLetters = try await KafkaTestSupport.consume(
            [deadLetterTopic], count: stream.badValues.count * 2, within: .seconds(20))
        for letter in deadLetters { missing.remove(String(decoding: letter.value ?? [], as: UTF8.self)) }
        #expect(missing.isEmpty, "\(missing.count) of \(stream.badValues.count) bad records not dead-lettered")
    }

    /// A schema of its own for the test (created before the example connects, so its tables go there).
    private func makeSchema() async throws -> (String, TimescaleConnection) {
        let schema = TestEnvironment.uniqueSchemaName("persist")
        return (schema, try await TestDatabase.makeExampleSchema(schema))
    }

    /// The rows of the events table as `PersistenceInput.expectedRows` writes them.
    private func storedRows(_ pg: TimescaleConnection) async throws -> [String] {
        let rows = try await pg.execute(
            """
            SELECT event_id, event_type, source_topic, coalesce(event_key, ''),
                   (extract(epoch FROM event_time) * 1000)::bigint FROM events
            """)
        return rows.map { row in (0..<5).map { row[$0] ?? "NULL" }.joined(separator: "|") }.sorted()
    }

    /// Waits until the events table holds `count` rows; fails early if the service ends.
    private func waitForRows(_ count: Int, _ pg: TimescaleConnection, _ service: ExampleProcess) async throws {
        try await waitForRows(count, pg, service) { $0 == count }
    }

    /// Waits until the events table holds `count` rows or more; fails early if the service ends.
    private func waitForRows(atLeast count: Int, _ pg: TimescaleConnection, _ service: ExampleProcess) async throws {
        try await waitForRows(count, pg, service) { $0 >= count }
    }

    private func waitForRows(
        _ count: Int, _ pg: TimescaleConnection, _ service: ExampleProcess, until isEnough: (Int) -> Bool
    ) async throws {
        try await service.waitUntil("\(count) rows in the table", within: .seconds(60), every: .milliseconds(100)) {
            // A failed count (the database restarting under the test) is no answer yet.
            let rows = try? await pg.execute("SELECT count(*) FROM events")
            return rows?.first?[0].flatMap { Int($0) }.map(isEnough) ?? false
        }
    }

    private func id(of value: String) -> String {
        let object = (try? JSONSerialization.jsonObject(with: Data(value.utf8))) as? [String: Any]
        return object?["event_id"] as? String ?? ""
    }

    private func json(_ text: String) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary)
    }
}
