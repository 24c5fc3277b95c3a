import StreamKit
import StreamKitKafka
import Testing

@Suite("Making a KafkaBroker")
struct KafkaBrokerConfigurationTests {
    @Test func aBadPropertyIsReportedByTheFirstUseWithLibrdkafkasText() async throws {
        var configuration = KafkaConfiguration(bootstrapServers: "localhost:9092")
        configuration.properties["no.such.property"] = "1"
        let broker = KafkaBroker.kafka(configuration)  // does not throw: StreamApp(broker: .kafka(…)) stays inline
        #expect(throws: KafkaError.self) { try broker.validate() }
        let error = await #expect(throws: KafkaError.self) { try await broker.createTopics([]) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.reason.contains("no.such.property") == true)
    }

    @Test func emptyBootstrapServersAreRefused() {
        let error = #expect(throws: KafkaError.self) { try KafkaBroker.kafka("  ").validate() }
        #expect(error?.reason.contains("bootstrap.servers") == true)
    }

    @Test func theEnvironmentNamesTheClusterOrFallsBackToTheDefault() {
        #expect("\(KafkaBroker.Endpoint.fromEnvironment("STREAMKIT_TEST_UNSET_VARIABLE"))" == "embedded")
        let endpoint: KafkaBroker.Endpoint = "host-a:9092,host-b:9092"
        #expect("\(endpoint)".contains("bootstrap.servers=host-a:9092,host-b:9092"))
    }

    @Test func theEmbeddedClusterLivesWithTheBroker() throws {
        let broker = KafkaBroker.kafka(.embedded)
        try broker.validate()
        #expect(try broker.embeddedCluster != nil)
        #expect(try broker.configuration.bootstrapServers == broker.embeddedCluster?.bootstrapServers)
    }
}
