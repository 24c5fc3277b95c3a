import InMemoryLogging
import Logging
import StreamKitKafka
import StreamKitTestSupport
import Testing

/// librdkafka's error events on a producer reach the log: before, they were served and dropped, so a producer
/// that could not reach its brokers said nothing until a flush timed out.
@Suite("Producer error events")
struct KafkaProducerLoggingTests {
    @Test("a producer whose broker refuses connections logs a warning naming the error")
    func unreachableBrokerIsLogged() async throws {
        let handler = InMemoryLogHandler()
        let logger = Logger(label: "producer-test") { _ in handler }
        // Nothing listens on port 1 of loopback: every connection attempt is refused at once.
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1")
        configuration.properties["reconnect.backoff.max.ms"] = "200"
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        defer { withExtendedLifetime(producer) {} }

        try await waitUntil("a logged producer error", within: .seconds(20)) {
            handler.entries.contains { $0.message == "producer error; librdkafka retries" }
        }
        let warning = try #require(handler.entries.first { $0.message == "producer error; librdkafka retries" })
        #expect(warning.level == .warning)
        let error = try #require(warning.metadata["error"]).description
        #expect(error.contains("127.0.0.1:1") || error.localizedCaseInsensitiveContains("brokers"), "\(error)")
    }
}
