import Foundation
import InMemoryLogging
import Logging
import StreamKit
import StreamKitKafka
import StreamKitOperations
import StreamKitTestSupport
import StreamKitTimescale
import Testing

/// Credentials given to the adapters never reach a log line or an error's description.
@Suite("Credentials stay out of logs and errors")
struct CredentialTests {
    /// Everything a log entry says, as one string.
    private static func rendered(_ entry: InMemoryLogHandler.Entry) -> String {
        let metadata = entry.metadata.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        return "\(entry.level) \(entry.message) \(metadata) \(entry.error.map { "\($0)" } ?? "")"
    }

    private static func makeLogger(_ label: String) -> (Logger, InMemoryLogHandler) {
        var handler = InMemoryLogHandler()
        handler.logLevel = .trace
        return (Logger(label: label) { _ in handler }, handler)
    }

    private static func secret(_ prefix: String) -> String { "\(prefix)-\(UInt64.random(in: 1...UInt64.max))" }

    /// On the separate-process broker (`KAFKA_BROKERS`, see scripts/kafka-broker), a development broker without
    /// SASL, so the connection stays plaintext: the password is in the configuration every client of the run is
    /// made from (admin, consumer, producer, restore readers), but not used to authenticate. librdkafka's mock
    /// cluster cannot stand in: it serves neither SASL nor the CreateTopics call a configured broker makes.
    @Test(
        .timeLimit(.minutes(1)),
        .enabled(if: TestEnvironment.hasKafka, SkipReason.noKafka))
    func aSASLPasswordStaysOutOfTheLogsOfARunningApp() async throws {
        let password = Self.secret("sasl")
        var configuration = KafkaConfiguration(bootstrapServers: try #require(TestEnvironment.kafkaBrokers))
        configuration.securityProtocol = .plaintext
        configuration.saslMechanism = .plain
        configuration.saslUsername = "streamkit"
        configuration.saslPassword = password
        #expect(!"\(configuration)".contains(password))

        let (logger, log) = Self.makeLogger("credentials")
        let name = TestEnvironment.uniqueName("sasl-app")
        let app = try StreamApp(
            name: name, broker: KafkaBroker(.configuration(configuration), logger: logger), logger: logger)
        app.dataframe(app.topic("\(name).orders", key: String.self, value: Int.self, format: .json)).to(
            CollectingSink<Int>())
        let server = OperationsServer(app: app, host: "127.0.0.1", port: 0, readinessMaxLag: 0, logger: logger)
        let group = StreamKitRunner.serviceGroup(app, operations: server, logger: logger)
        let run = Task { try await group.run() }
        let port = try await server.listeningPort
        try await waitUntil("the app to get its partition") { try await httpGet("/ready", port: port).status == 200 }
        let answers = [try await httpGet("/health", port: port).body, try await httpGet("/ready", port: port).body]
        await group.triggerGracefulShutdown()
        let failure = await run.result

        let entries = log.entries.map(Self.rendered)
        #expect(entries.contains { $0.contains("partitions assigned") })  // the logger did see the run
        #expect(entries.allSatisfy { !$0.contains(password) })
        #expect(answers.allSatisfy { !$0.contains(password) })
        if case .failure(let error) = failure { #expect(!"\(error)".contains(password)) }
    }

    @Test func aSASLPasswordStaysOutOfConfigurationErrors() async throws {
        let password = Self.secret("sasl")
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:9")
        configuration.securityProtocol = .saslPlaintext
        configuration.saslMechanism = .plain
        configuration.properties["sasl.mechanisms"] = "NO-SUCH-MECHANISM"
        configuration.saslUsername = "streamkit"
        configuration.saslPassword = password
        let (logger, log) = Self.makeLogger("credentials")
        let app = try StreamApp(
            name: "bad-sasl", broker: KafkaBroker(.configuration(configuration), logger: logger), logger: logger)
        app.dataframe(app.topic("orders", key: String.self, value: Int.self, format: .json)).to(CollectingSink<Int>())

        let error = await #expect(throws: KafkaError.self) { try await app.run() }
        #expect(error.map { !"\($0)".contains(password) } == true)
        // The error is librdkafka's complaint about this setting.
        #expect(error.map { "\($0)".contains("NO-SUCH-MECHANISM") } == true)
        #expect(app.status.snapshot.failure.map { !$0.contains(password) } == true)
        #expect(log.entries.map(Self.rendered).allSatisfy { !$0.contains(password) })
    }

    @Test func aPostgreSQLPasswordStaysOutOfConnectionErrorsAndRetryWarnings() async throws {
        let password = Self.secret("pg")
        let (logger, log) = Self.makeLogger("credentials")
        // Nothing listens on port 1 of the loopback interface: every attempt is refused.
        let url = "postgres://streamkit:\(password)@127.0.0.1:1/market?connect_timeout=2"
        let error = await #expect(throws: TimescaleError.self) {
            _ = try await TimescaleConnection.connect(
                url, reconnectPolicy: .init(maxAttempts: 3, initialDelay: .milliseconds(10)), logger: logger)
        }
        #expect(error.map { !"\($0)".contains(password) } == true)
        let entries = log.entries.map(Self.rendered)
        #expect(entries.contains { $0.contains("retrying") })  // the retries were logged, with their error
        #expect(entries.allSatisfy { !$0.contains(password) })

        let malformed = await #expect(throws: TimescaleError.self) {
            _ = try TimescaleConnection("postgres://streamkit:\(password)@127.0.0.1:5432/market?no_such_option=1")
        }
        #expect(malformed.map { !"\($0)".contains(password) } == true)
    }

    /// A real server's refusal (here: the database does not exist) carries the server's message, never the URL.
    @Test(.enabled(if: TestEnvironment.hasTimescale, SkipReason.noTimescale))
    func aPostgreSQLPasswordStaysOutOfServerErrors() async throws {
        let password = Self.secret("pg")
        let serverURL = try #require(TestEnvironment.timescaleURL)
        var url = try #require(URLComponents(string: serverURL))
        url.password = password
        url.path = "/no_such_database_\(UInt32.random(in: 0...UInt32.max))"
        let (logger, log) = Self.makeLogger("credentials")
        let error = await #expect(throws: TimescaleError.self) {
            _ = try await TimescaleConnection.connect(
                try #require(url.string), reconnectPolicy: .init(maxAttempts: 1), logger: logger)
        }
        #expect(error.map { "\($0)".contains("does not exist") } == true)  // the server's own answer
        #expect(error.map { !"\($0)".contains(password) } == true)
        #expect(log.entries.map(Self.rendered).allSatisfy { !$0.contains(password) })
    }
}
