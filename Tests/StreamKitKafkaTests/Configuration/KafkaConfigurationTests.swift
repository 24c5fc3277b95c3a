import StreamKitKafka
import Testing

@Suite("Configuration validation")
struct KafkaConfigurationTests {
    @Test func anUnknownPropertyFailsAtCreationNamingIt() {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1")
        configuration.properties["no.such.property"] = "1"
        let error = #expect(throws: KafkaError.self) { try KafkaProducer(configuration: configuration) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.reason.contains("No such configuration property: \"no.such.property\"") == true)
    }

    @Test func anInvalidValueFailsAtCreationNamingTheProperty() {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1")
        configuration.properties["acks"] = "sometimes"
        let error = #expect(throws: KafkaError.self) { try KafkaConsumer(configuration: configuration) }
        // librdkafka names the canonical property; the message names the one that was set as well.
        #expect(error?.reason.contains("acks=\"sometimes\"") == true)
        #expect(error?.reason.contains("Invalid value for configuration property \"request.required.acks\"") == true)
    }

    @Test func aRejectedCredentialIsNotEchoed() {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1")
        configuration.properties["ssl.key.password"] = "x"
        configuration.properties["sasl.password.bogus"] = "hunter2"
        let error = #expect(throws: KafkaError.self) { try KafkaProducer(configuration: configuration) }
        #expect(error?.reason.contains("sasl.password.bogus=\"***\"") == true)
        #expect(error.map { !$0.description.contains("hunter2") } == true)
    }

    @Test func inconsistentSettingsFailWithLibrdkafkasMessage() {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1")
        configuration.transactionalID = "tx-1"
        configuration.enableIdempotence = false
        let error = #expect(throws: KafkaError.self) { try KafkaProducer(configuration: configuration) }
        #expect(error?.reason.contains("enable.idempotence") == true)
    }

    @Test func typedOptionsMapToLibrdkafkaProperties() {
        var configuration = KafkaConfiguration(bootstrapServers: "b1:9092,b2:9092")
        configuration.acks = .all
        configuration.linger = .milliseconds(5)
        configuration.compression = .zstd
        configuration.isolationLevel = .readCommitted
        configuration.properties["fetch.wait.max.ms"] = "50"
        configuration.properties["acks"] = "1"
        let properties = configuration.librdkafkaProperties
        #expect(
            properties.map(\.name) == [
                "bootstrap.servers", "acks", "linger.ms", "compression.codec", "isolation.level", "acks",
                "fetch.wait.max.ms",
            ])
        #expect(properties.map(\.value) == ["b1:9092,b2:9092", "all", "5", "zstd", "read_committed", "1", "50"])
    }

    @Test func descriptionNeverShowsSecrets() throws {
        var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1")
        configuration.securityProtocol = .saslSSL
        configuration.saslMechanism = .scramSHA512
        configuration.saslUsername = "alice"
        configuration.saslPassword = "hunter2-secret"
        configuration.sslKeyPassword = "key-pass-123"
        configuration.properties["sasl.oauthbearer.client.secret"] = "oauth-xyz"
        let text = configuration.description
        #expect(text.contains("sasl.username=alice"))
        #expect(text.contains("sasl.password=***"))
        for secret in ["hunter2-secret", "key-pass-123", "oauth-xyz"] { #expect(!text.contains(secret)) }
    }
}
