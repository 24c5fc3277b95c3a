import MetricsTestKit
import StreamKit
import StreamKitKafka
import Testing

@Suite("Producer delivery errors are counted")
struct ProducerDeliveryErrorTests {
    /// The first produce request of the run (the checkpoint's) is refused with MESSAGE_TOO_LARGE, which is not
    /// retriable: the delivery fails, is counted, and stops the app without committing.
    @Test(.timeLimit(.minutes(1)))
    func aRefusedDeliveryIsCountedAndStopsTheApp() async throws {
        let broker = KafkaBroker.kafka(.embedded)
        let cluster = try #require(try broker.embeddedCluster)
        try await broker.createTopics([TopicSpec(name: "in", partitions: 1), TopicSpec(name: "out", partitions: 1)])
        let producer = try KafkaProducer(configuration: broker.configuration)
        try producer.enqueue(KafkaProducerMessage(topic: "in", key: Array("k".utf8), value: Array("1".utf8)))
        try await producer.flush(timeout: .seconds(10))

        let metrics = TestMetrics()
        let app = try StreamApp(name: "refused", broker: broker, metrics: metrics)
        let input = app.topic("in", key: String.self, value: Int.self, format: .json)
        app.dataframe(input).map { $0 + 1 }.to(app.topic("out", key: String.self, value: Int.self, format: .json))
        cluster.pushRequestErrors(.produce, [KafkaError.Code(rawValue: 10)])

        await #expect(throws: KafkaError.self) { try await app.run(mode: .untilIdle(.seconds(6))) }

        #expect(
            try metrics.expectCounter(StreamMetricName.producerDeliveryErrors, [("app", "refused")]).totalValue == 1)
        #expect(app.status.snapshot.phase == .failed)
    }
}
