import StreamKit
import StreamKitKafka
import Testing

@Suite("Graceful shutdown mid-stream loses and repeats nothing")
struct GracefulShutdownTests {
    @Test(.timeLimit(.minutes(1)))
    func onTheInMemoryBroker() async throws {
        let broker = InMemoryBroker()
        broker.createTopic(TopicSpec(name: "events", partitions: 2))
        try await ShutdownScenario.run(name: "shutdown", input: "events", broker: broker, idle: .milliseconds(100)) {
            events in
            for event in events {
                broker.append(
                    RawRecord(
                        topic: "events", key: Array(event.key.utf8), value: try Serde<Event>.json.encode(event),
                        timestamp: .init(milliseconds: event.tsMs)))
            }
        }
        #expect(broker.committedOffsets(group: "shutdown").values.reduce(0, +) == 3_000)
    }

    /// librdkafka's mock cluster delays the first group join by 3 s; the backtest's idle time has to cover that.
    @Test(.timeLimit(.minutes(2)))
    func onTheKafkaMockCluster() async throws {
        let broker = KafkaBroker.kafka(.embedded)
        try await broker.createTopics([TopicSpec(name: "events", partitions: 2)])
        let producer = try KafkaProducer(configuration: broker.configuration)
        try await ShutdownScenario.run(name: "shutdown", input: "events", broker: broker, idle: .seconds(6)) {
            events in
            for event in events {
                try producer.enqueue(
                    KafkaProducerMessage(
                        topic: "events", key: Array(event.key.utf8), value: try Serde<Event>.json.encode(event),
                        timestampMs: event.tsMs))
            }
            try await producer.flush(timeout: .seconds(10))
        }
    }
}
