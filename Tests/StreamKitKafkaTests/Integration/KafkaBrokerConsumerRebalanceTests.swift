import StreamKit
import StreamKitKafka
import StreamKitTestSupport
import Testing

/// The app's Kafka consumer in rebalances it takes part in without partitions, on the separate-process broker: the
/// embedded cluster's coordinator does not wait for a member that has not rejoined beyond its session timeout, so it
/// would hide a member that holds up a rebalance.
@Suite(
    "The app's Kafka consumer in rebalances", .serialized,
    .enabled(if: TestEnvironment.hasKafka, SkipReason.noKafka))
struct KafkaBrokerConsumerRebalanceTests {
    /// The eager protocol revokes an empty assignment from a member that has no partitions, and librdkafka holds
    /// the rebalance until that member's unassign call. The consumer makes the call itself (there is nothing to
    /// checkpoint, so the runtime hears nothing); otherwise the group would wait for it until its rebalance timeout
    /// (`max.poll.interval.ms`, 5 minutes by default) whenever there are more instances than partitions.
    @Test(.timeLimit(.minutes(2)))
    func aMemberWithoutPartitionsDoesNotHoldUpARebalance() async throws {
        var configuration = KafkaConfiguration(bootstrapServers: try #require(TestEnvironment.kafkaBrokers))
        configuration.properties["session.timeout.ms"] = "6000"
        configuration.properties["heartbeat.interval.ms"] = "500"
        // The rebalance timeout: how long the group would wait for a member that does not rejoin.
        configuration.properties["max.poll.interval.ms"] = "90000"
        let broker = KafkaBroker.kafka(configuration)
        let topic = TestEnvironment.uniqueName("one-partition")
        let group = TestEnvironment.uniqueName("group")
        try await broker.createTopics([TopicSpec(name: topic, partitions: 1)])
        let members = [
            try await broker.makeConsumer(group: group, readCommitted: false),
            try await broker.makeConsumer(group: group, readCommitted: false),
        ]
        for member in members { try await member.subscribe(to: [topic]) }
        var owned: [Set<TopicPartition>] = [[], []]
        /// Polls both members once, releasing what is revoked as the runtime does after its checkpoint.
        func pollMembers() async throws {
            for (index, member) in members.enumerated() {
                let poll = try await member.poll(maxRecords: 100, timeout: .milliseconds(50))
                for event in poll.events {
                    switch event {
                    case .assigned(let partitions): owned[index].formUnion(partitions)
                    case .revoked(let partitions):
                        owned[index].subtract(partitions)
                        try await member.release(partitions)
                    case .lost(let partitions): owned[index].subtract(partitions)
                    }
                }
            }
        }
        let partition = TopicPartition(topic: topic, partition: 0)
        try await waitUntil("one member to own the partition", every: .milliseconds(1)) {
            try await pollMembers()
            return owned[0].union(owned[1]) == [partition]
        }

        // A third member joins: both app consumers are revoked, one of them an empty assignment.
        var joiningConfiguration = configuration
        joiningConfiguration.groupID = group
        joiningConfiguration.enableAutoCommit = false
        let joining = try KafkaConsumer(configuration: joiningConfiguration)
        try joining.subscribe(topics: [topic])
        var joined = false
        try await waitUntil("the rebalance to complete for the joining member", within: .seconds(40), every: .zero) {
            try await pollMembers()
            _ = try await joining.nextBatch(maxMessages: 100, timeout: .milliseconds(50))
            joined =
                joined || joining.drainRebalanceEvents().contains { if case .assigned = $0 { true } else { false } }
            return joined
        }
        let total = owned[0].count + owned[1].count + (try joining.assignment().count)
        #expect(total <= 1, "one partition has at most one owner")
        try await joining.close()
        for member in members { try await member.close() }
    }
}
