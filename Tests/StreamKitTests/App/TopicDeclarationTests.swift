import Testing

@testable import StreamKit

/// One name, one topic: two declarations of a name that disagree stop the app before it starts, while the
/// one-partition topic a `.deadLetter("name")` implies gives way to a declaration of that name.
@Suite("Topic declarations")
struct TopicDeclarationTests {
    struct Reading: Codable, Sendable {
        var value: Int
    }

    @Test("a name declared with 3 partitions and with 1 stops the harness and the runtime, naming both")
    func conflictingDeclarations() async throws {
        let app = try StreamApp(name: "conflict", broker: InMemoryBroker())
        let readings = app.topic("readings", key: String.self, value: Reading.self, format: .json, partitions: 3)
        let again = app.topic(
            "readings", key: String.self, value: Reading.self, format: .json, configs: ["retention.ms": "-1"])
        app.dataframe(readings).to(again)

        let expected =
            "topic 'readings' is declared twice with different settings (3 partitions and 1 partition, "
            + "retention.ms=-1)"
        #expect {
            try PipelineHarness(app)
        } throws: { error in
            (error as? StreamAppError)?.code == .configuration && "\(error)".contains(expected)
        }
        await #expect {
            try await app.run(mode: .backtest)
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test("one topic value used as input and output is one declaration")
    func sameValueTwice() throws {
        let app = try StreamApp(name: "same", broker: InMemoryBroker())
        let readings = app.topic("readings", key: String.self, value: Reading.self, format: .json, partitions: 2)
        app.dataframe(readings).filter { $0.value > 0 }.to(readings)
        _ = try PipelineHarness(app)
    }

    @Test("a dead-letter topic declared with 4 partitions is created with 4")
    func deadLetterGivesWay() throws {
        let broker = InMemoryBroker()
        let app = try StreamApp(name: "dead-letters", broker: broker)
        let readings = app.topic("readings", key: String.self, value: Reading.self, format: .json)
        let invalid = app.topic("invalid", key: String.self, value: Reading.self, format: .json, partitions: 4)
        let valid = app.dataframe(readings).filter({ $0.value > 0 }, otherwise: .deadLetter("invalid"))
        valid.filter { $0.value > 100 }.to(invalid)
        _ = try PipelineHarness(app)
        #expect(broker.partitionCount(of: "invalid") == 4)
    }
}
