import StreamKitKafka
import StreamKitTestSupport
import Testing

@Suite("Admin on the mock cluster")
struct KafkaAdminTests {
    /// The 2.0.2 mock cluster has no CreateTopics handler, so creation (and creating twice) is tested on the
    /// separate-process broker; here the topics come from the mock's own API and are described.
    @Test func describesAndListsTopics() async throws {
        let cluster = try KafkaMockCluster(brokers: 3)
        let name = TestEnvironment.uniqueName("described")
        try cluster.createTopic(name, partitions: 3, replicationFactor: 2)
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers))

        let topic = try #require(try await admin.describeTopic(name))
        #expect(topic.partitions.map(\.id) == [0, 1, 2])
        // The 2.0.2 mock places a replica on every broker whatever the replication factor, so only the
        // consistency of the description is checked: each leader is one of the replicas, all real broker ids.
        for partition in topic.partitions {
            #expect(!partition.replicas.isEmpty && Set(partition.replicas).isSubset(of: [1, 2, 3]))
            #expect(partition.replicas.contains(partition.leader))
        }
        #expect(try await admin.listTopics().map(\.name).contains(name))
        #expect(try await admin.describeTopic(TestEnvironment.uniqueName("absent")) == nil)
    }
}
