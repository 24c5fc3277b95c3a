import StreamKit
import StreamKitKafka
import StreamKitTestSupport
import Testing

/// Instances of one app joining and leaving a group while the input flows, on the separate-process broker.
///
/// The pipeline keeps a count per key (`stateful`, restored from its changelog by whichever instance owns the
/// partition) and emits `(key, seq, count)` for every record, where `seq` is the key's 1-based sequence number
/// in the input. The expectations follow from the input alone: exactly once, every `(key, seq)` arrives once
/// and its count equals `seq` (no record lost, none counted twice, no state lost across owners); at least once,
/// every `(key, seq)` arrives.
@Suite(
    "Scale-out guarantees on a separate-process broker", .serialized,
    .enabled(if: TestEnvironment.hasKafka, SkipReason.noKafka))
struct ScaleOutGuaranteeTests {
    struct Reading: Codable, Sendable {
        var key: String
        var seq: Int
    }

    struct Counted: Codable, Hashable, Sendable {
        var key: String
        var seq: Int
        var count: Int
    }

    static let keys = 24
    static let bursts = 4
    static let perBurst = 12_000

    /// A guarantee and the consumer group's assignor.
    struct Scenario: Sendable, CustomTestStringConvertible {
        var guarantee: ProcessingGuarantee
        var assignor: String
        var testDescription: String { "\(guarantee), \(assignor)" }
    }

    static let scenarios = [
        Scenario(guarantee: .exactlyOnce, assignor: "range,roundrobin"),
        Scenario(guarantee: .atLeastOnce, assignor: "range,roundrobin"),
        Scenario(guarantee: .exactlyOnce, assignor: "cooperative-sticky"),
        Scenario(guarantee: .atLeastOnce, assignor: "cooperative-sticky"),
    ]

    /// A broker whose group timings suit a test (a real broker refuses sessions under 6 s).
    ///
    /// The rebalance timeout (`max.poll.interval.ms`) is 30 s instead of 5 minutes: now and then the development
    /// broker never answers a member's JoinGroup (seen with librdkafka's `cgrp` debug log: the joining member's
    /// request stays unanswered while the leader's round completes and the next one waits for that member), and
    /// only this timeout — on the broker, which then drops the member, and on the client, which then rejoins — ends
    /// the wait. Apache Kafka answers every JoinGroup.
    static func broker(_ servers: String, assignor: String = "range,roundrobin") -> KafkaBroker {
        var configuration = KafkaConfiguration(bootstrapServers: servers)
        configuration.properties["partition.assignment.strategy"] = assignor
        configuration.properties["session.timeout.ms"] = "6000"
        configuration.properties["heartbeat.interval.ms"] = "500"
        configuration.properties["max.poll.interval.ms"] = "30000"
        configuration.properties["topic.metadata.refresh.interval.ms"] = "1000"
        return KafkaBroker(.configuration(configuration))
    }

    static func makeApp(
        name: String, instance: String, guarantee: ProcessingGuarantee, broker: KafkaBroker, input: String,
        output: String
    ) throws -> StreamApp {
        let app = try StreamApp(
            name: name, broker: broker, guarantee: guarantee, instanceID: instance,
            checkpoint: CheckpointPolicy(records: 2_000, interval: .milliseconds(200)))
        let readings = app.topic(input, key: String.self, value: Reading.self, format: .json, partitions: 3)
        let counted = app.topic(output, key: String.self, value: Counted.self, format: .json)
        app.dataframe(readings)
            .stateful(name: "count", initial: 0) { count, record in
                count += 1
                return Counted(key: record.value.key, seq: record.value.seq, count: count)
            }
            .to(counted)
        return app
    }

    /// A fresh 3-partition input topic, a 1-partition output topic and an app name.
    static func makeTopics(_ servers: String, prefix: String) async throws -> (
        input: String, output: String, app: String
    ) {
        let input = TestEnvironment.uniqueName("\(prefix)-in")
        let output = TestEnvironment.uniqueName("\(prefix)-out")
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: servers))
        try await admin.createTopics([
            KafkaTopicSpecification(name: input, partitions: 3, replicationFactor: 1),
            KafkaTopicSpecification(name: output, partitions: 1, replicationFactor: 1),
        ])
        return (input, output, TestEnvironment.uniqueName("\(prefix)-app"))
    }

    /// Produces burst `index` of the input: every key in turn, each with its next sequence numbers.
    static func produceBurst(_ index: Int, to topic: String, on broker: KafkaBroker) async throws {
        let producer = try KafkaProducer(configuration: broker.configuration)
        let now = WallClock.nowMs
        for n in 0..<perBurst {
            let record = index * perBurst + n
            let reading = Reading(key: "k\(record % keys)", seq: record / keys + 1)
            try producer.enqueue(
                KafkaProducerMessage(
                    topic: topic, key: Array(reading.key.utf8), value: try Serde<Reading>.json.encode(reading),
                    timestampMs: now))
        }
        try await producer.flush(timeout: .seconds(30))
    }

    @Test(
        "instances join, leave and take over mid-stream without losing or repeating records",
        arguments: scenarios)
    func instancesJoinAndLeaveMidStream(scenario: Scenario) async throws {
        let servers = try #require(TestEnvironment.kafkaBrokers)
        let guarantee = scenario.guarantee
        let broker = Self.broker(servers, assignor: scenario.assignor)
        let (input, output, name) = try await Self.makeTopics(servers, prefix: "scale")
        func start(_ instance: String) throws -> (StreamApp, Task<Void, any Error>) {
            let app = try Self.makeApp(
                name: name, instance: instance, guarantee: guarantee, broker: broker, input: input, output: output)
            return (app, Task { try await app.run() })
        }
        let total = Self.bursts * Self.perBurst
        func committed() async throws -> Int64 {
            try await StreamAppSupport.committedCount(group: name, topic: input, partitions: 3, on: broker)
        }

        try await Self.produceBurst(0, to: input, on: broker)
        let (first, firstRun) = try start("a")
        try await waitUntil("the first instance to commit", every: .milliseconds(50)) { try await committed() > 0 }
        // A second instance joins while the first is busy.
        let (second, secondRun) = try start("b")
        try await Self.produceBurst(1, to: input, on: broker)
        // Under cooperative-sticky the development broker can take several rounds (lost assignments) to settle, and
        // one unanswered JoinGroup costs a rebalance timeout (see `broker(_:assignor:)`).
        do {
            try await waitUntil("both instances to own partitions", within: .seconds(120), every: .milliseconds(50)) {
                !first.status.snapshot.assignedPartitions.isEmpty && !second.status.snapshot.assignedPartitions.isEmpty
            }
        } catch {
            // What each instance saw, for the next reader of a failed run.
            Issue.record("first: \(first.status.snapshot); second: \(second.status.snapshot)")
            throw error
        }
        try await Self.produceBurst(2, to: input, on: broker)
        // The first leaves gracefully mid-stream; the second takes over its partitions and their state.
        first.stop()
        try await firstRun.value
        // A third joins, then the input ends.
        let (third, thirdRun) = try start("c")
        try await Self.produceBurst(3, to: input, on: broker)
        try await waitUntil("every record to be committed", within: .seconds(90), every: .milliseconds(50)) {
            try await committed() == Int64(total)
        }
        second.stop()
        third.stop()
        try await secondRun.value
        try await thirdRun.value

        let exactly = guarantee == .exactlyOnce
        // At least once, repeats can put the last records well past `total`: read up to the topic's end.
        let end = try await KafkaConsumer(configuration: broker.configuration)
            .watermarks(for: KafkaTopicPartition(topic: output, partition: 0)).high
        let messages = try await StreamAppSupport.readAll(
            output, on: broker, atLeast: exactly ? total : Int(end), readCommitted: exactly, settle: .seconds(1))
        let results = try messages.map { try Serde<Counted>.json.decode($0.value ?? []) }
        var byKey: [String: [Counted]] = [:]
        for result in results { byKey[result.key, default: []].append(result) }
        let perKey = total / Self.keys
        for k in 0..<Self.keys {
            let key = "k\(k)"
            let seen = byKey[key] ?? []
            let sequences = Set(seen.map(\.seq))
            let missing = (1...perKey).filter { !sequences.contains($0) }
            #expect(missing.isEmpty, "\(key): \(missing.count) records never processed, first \(missing.prefix(5))")
            if exactly {
                #expect(seen.count == perKey, "\(key): \(seen.count) outputs for \(perKey) records")
                let wrong = seen.filter { $0.count != $0.seq }
                #expect(wrong.isEmpty, "\(key): counts off after a hand-over, first \(wrong.prefix(3))")
            }
        }
    }

    @Test("two running instances with one instance id: the older stops with an error that says so")
    func aSharedInstanceIDIsReported() async throws {
        let servers = try #require(TestEnvironment.kafkaBrokers)
        let broker = Self.broker(servers)
        let (input, output, name) = try await Self.makeTopics(servers, prefix: "shared")
        try await Self.produceBurst(0, to: input, on: broker)
        let first = try Self.makeApp(
            name: name, instance: "same", guarantee: .exactlyOnce, broker: broker, input: input, output: output)
        let firstRun = Task { try await first.run() }
        try await waitUntil("the first instance to run", every: .milliseconds(50)) {
            first.status.snapshot.phase == .running
        }
        let second = try Self.makeApp(
            name: name, instance: "same", guarantee: .exactlyOnce, broker: broker, input: input, output: output)
        let secondRun = Task { try await second.run() }
        // Keep records flowing so the first instance's next transaction meets the fence.
        try await Self.produceBurst(1, to: input, on: broker)
        let failure = await #expect(throws: StreamAppError.self) { try await firstRun.value }
        #expect(failure?.code == .configuration)
        #expect(failure?.message.contains("share an instance id") == true, "\(String(describing: failure))")
        second.stop()
        try await secondRun.value
    }

    @Test("two exactly-once instances have their own transactional ids")
    func transactionalIDsPerInstance() throws {
        let broker = InMemoryBroker()
        let a = try StreamApp(name: "orders", broker: broker, guarantee: .exactlyOnce)
        let b = try StreamApp(name: "orders", broker: broker, guarantee: .exactlyOnce)
        #expect(a.transactionalID != b.transactionalID)
        #expect(a.transactionalID.hasPrefix("orders-"))
        let pinned = try StreamApp(name: "orders", broker: broker, guarantee: .exactlyOnce, instanceID: "pod-3")
        #expect(pinned.transactionalID == "orders-pod-3")
        #expect(throws: StreamAppError.self) { try StreamApp(name: "orders", broker: broker, instanceID: "a b") }
    }
}
