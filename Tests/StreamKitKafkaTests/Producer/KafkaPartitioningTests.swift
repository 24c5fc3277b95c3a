import StreamKit
import StreamKitKafka
import StreamKitTestSupport
import Testing

/// librdkafka's `murmur2_random` partitioner against StreamKit's `Murmur2`, which `Murmur2Tests` checks against the
/// Java client's own vectors.
@Suite("Key partitioning matches the Java client")
struct KafkaPartitioningTests {
    @Test func keysLandWhereJavaMurmur2PutsThem() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let topic = TestEnvironment.uniqueName("murmur2")
        let partitions = 7
        try cluster.createTopic(topic, partitions: partitions)
        let producer = try KafkaProducer(configuration: KafkaTestSupport.configuration(cluster.bootstrapServers))
        let keys = ["21", "foobar", "AAPL", "MSFT", "BTC-USD", "a-little-bit-long-string", "user-42", "x"]
        var landed: [String: Int] = [:]
        var expected: [String: Int] = [:]
        for key in keys {
            landed[key] = try await producer.send(KafkaProducerMessage(topic: topic, key: key, value: "v")).partition
            expected[key] = Murmur2.partition(for: Array(key.utf8), partitions: partitions)
        }
        #expect(landed == expected)
        // The keys do not all collapse onto one partition, so the comparison is not vacuous.
        #expect(Set(expected.values).count > 2)
    }
}
