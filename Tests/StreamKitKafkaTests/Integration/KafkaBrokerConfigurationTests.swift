import StreamKit
import StreamKitKafka
import StreamKitTestSupport
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

    /// A producer made from an embedded broker's configuration keeps the in-process cluster running after the
    /// broker is gone: without that, the cluster's port closes under the producer, which then fails its sends
    /// and logs connection errors at shutdown.
    @Test func clientsKeepTheEmbeddedClusterRunningAfterTheBrokerIsGone() async throws {
        let topic = TestEnvironment.uniqueName("outlives")
        let configuration: KafkaConfiguration
        do {
            let broker = KafkaBroker.kafka(.embedded)
            try #require(try broker.embeddedCluster).createTopic(topic, partitions: 1)
            configuration = try broker.configuration
        }
        var producerConfiguration = configuration
        producerConfiguration.properties["message.timeout.ms"] = "5000"
        let producer = try KafkaProducer(configuration: producerConfiguration)
        try producer.enqueue(KafkaProducerMessage(topic: topic, key: "k", value: "v"))
        try await producer.flush(timeout: .seconds(10))

        let consumer = try KafkaConsumer(configuration: KafkaTestSupport.configuration(configuration.bootstrapServers))
        try consumer.assign([KafkaTopicPartition(topic: topic, partition: 0): .beginning])
        let received = try await KafkaTestSupport.consume(consumer, count: 1, within: .seconds(10))
        #expect(received.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["v"])
    }
}
