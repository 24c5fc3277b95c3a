import InMemoryLogging
import Logging
import StreamKitTestSupport
import Testing

@testable import StreamKit

@Suite("What the run loop logs")
struct RuntimeLoggingTests {
    private static func makeLogger(_ level: Logger.Level) -> (Logger, InMemoryLogHandler) {
        var handler = InMemoryLogHandler()
        handler.logLevel = level
        return (Logger(label: "runtime-test") { _ in handler }, handler)
    }

    @Test func assignmentsAndDeadLettersCarryAppTopicPartitionAndOffset() async throws {
        let broker = InMemoryBroker()
        let (logger, log) = Self.makeLogger(.trace)
        let app = try StreamApp(name: "logged", broker: broker, logger: logger)
        let input = app.topic("in", key: String.self, value: Int.self, format: .json)
        app.dataframe(input).validate({ $0 > 0 ? nil : "not positive: \($0)" }, otherwise: .deadLetter("in.dlq"))
            .to(CollectingSink<Int>())
        broker.createTopic(input.spec)
        for value in [3, 0, 7, -1] { try broker.appendJSON(value, key: "k", to: "in") }

        try await app.run(mode: .backtest)

        let entries = log.entries
        #expect(entries.allSatisfy { $0.metadata["app"] == "logged" })
        let assigned = try #require(entries.first { $0.message == "partitions assigned and restored" })
        #expect(assigned.level == .info)
        #expect(assigned.metadata["topic"] == "in")
        #expect(assigned.metadata["partitions"] == "[0]")

        // Offsets 1 (value 0) and 3 (value -1) are rejected: one trace line each, one warning for both.
        let traced = entries.filter { $0.message == "record dead-lettered" }
        #expect(traced.map(\.level) == [.trace, .trace])
        #expect(traced.map { $0.metadata["offset"] } == ["1", "3"])
        let warnings = entries.filter { $0.message.description.hasPrefix("records dead-lettered") }
        #expect(warnings.count == 1)
        let warning = try #require(warnings.first)
        #expect(warning.level == .warning)
        #expect(warning.metadata["dead_letter_topic"] == "in.dlq")
        #expect(warning.metadata["first_topic"] == "in")
        #expect(warning.metadata["first_partition"] == "0")
        #expect(warning.metadata["first_offset"] == "1")
        #expect(warning.metadata["stage"] == "validate")
        #expect(warning.metadata["first_reason"] == "not positive: 0")
        #expect(warning.metadata["records"] == "2")
    }

    @Test func skippedRecordsAreSummedUpInAWarning() async throws {
        let broker = InMemoryBroker()
        let (logger, log) = Self.makeLogger(.info)
        let app = try StreamApp(
            name: "skipping", broker: broker, errors: ErrorPolicy(deserialization: .skip, processing: .fail),
            logger: logger)
        let input = app.topic("in", key: String.self, value: Int.self, format: .json)
        app.dataframe(input).to(CollectingSink<Int>())
        broker.createTopic(input.spec)
        for value in ["1", "x", "2", "{"] {
            broker.append(
                RawRecord(
                    topic: "in", key: Array("k".utf8), value: Array(value.utf8), timestamp: .init(milliseconds: 0)))
        }

        try await app.run(mode: .backtest)

        // "x" and "{" are not JSON integers: two records skipped at the deserialize stage, one warning.
        let warnings = log.entries.filter { $0.level == .warning }
        #expect(warnings.map(\.message) == ["records skipped since the last checkpoint"])
        #expect(warnings.first?.metadata["stage"] == "deserialize")
        #expect(warnings.first?.metadata["records"] == "2")
        #expect(warnings.first?.metadata["app"] == "skipping")
    }

    @Test func aFailureIsLoggedAsAnErrorWithTheRecordPosition() async throws {
        let broker = InMemoryBroker()
        let (logger, log) = Self.makeLogger(.info)
        let app = try StreamApp(name: "broken", broker: broker, logger: logger)
        let input = app.topic("in", key: String.self, value: Int.self, format: .json)
        app.dataframe(input).to(CollectingSink<Int>())
        broker.createTopic(input.spec)
        try broker.appendJSON(1, key: "k", to: "in")
        broker.append(
            RawRecord(topic: "in", key: Array("k".utf8), value: Array("x".utf8), timestamp: .init(milliseconds: 0)))

        await #expect(throws: StreamAppError.self) { try await app.run() }

        let failure = try #require(log.entries.first { $0.level == .error })
        #expect(failure.message == "stopped by a failure")
        #expect(failure.metadata["app"] == "broken")
        let error = try #require(failure.metadata["error"]).description
        #expect(error.contains("in[0]@1"))  // the malformed record's position
    }

    @Test func lateRecordsAreWarnedAboutWithCountAndLateness() async throws {
        let broker = InMemoryBroker()
        let (logger, log) = Self.makeLogger(.info)
        let app = try StreamApp(name: "late", broker: broker, logger: logger)
        let input = app.topic("in", key: String.self, value: Int.self, format: .json)
        app.dataframe(input).tumblingWindow(.seconds(10), grace: .zero, name: "per-10s").count()
            .final().to(CollectingSink<WindowResult<String, Int>>())
        broker.createTopic(input.spec)
        // Event times 25 s, then 3 s and 7 s: the window [0, 10) closed at 25 s, so both are late, by 22 s and 18 s.
        for (value, time) in [(1, 25_000), (2, 3_000), (3, 7_000)] as [(Int, Int64)] {
            try broker.appendJSON(value, key: "k", to: "in", at: time)
        }

        try await app.run(mode: .backtest)

        let warnings = log.entries.filter { $0.level == .warning }
        #expect(warnings.count == 1)
        let warning = try #require(warnings.first)
        #expect(warning.message.description.hasPrefix("records arrived after their window closed"))
        #expect(warning.metadata["window"] == "per-10s")
        #expect(warning.metadata["late_records"] == "2")
        #expect(warning.metadata["max_lateness"] == "22.0 seconds")
    }
}
