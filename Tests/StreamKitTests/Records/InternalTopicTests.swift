import StreamKitTestSupport
import Testing

@testable import StreamKit

/// The app's own topics: the configs they are created with, and the start-up check of existing ones.
@Suite("Internal topics")
struct InternalTopicTests {
    /// `orderbook.raw` (3 partitions) → keyBy symbol → 1 s count (store `bars`) → `bars`.
    private func keyedApp() throws -> StreamApp {
        let app = try makeApp("internal")
        let ticks = app.topic("orderbook.raw", key: String.self, value: Tick.self, format: .json, partitions: 3)
        let bars = app.topic("bars", key: String.self, value: WindowResult<String, Int>.self, format: .json)
        app.dataframe(ticks).keyBy(name: "by-symbol") { $0.symbol }
            .tumblingWindow(.seconds(1), name: "bars").count().final().to(bars)
        return app
    }

    @Test func repartitionTopicsKeepRecordsWithoutTimeRetention() throws {
        let specs = try keyedApp().graph.topicSpecs
        let repartition = try #require(specs.first { $0.name == "internal-by-symbol-repartition" })
        #expect(repartition.internalRole == .repartition)
        #expect(repartition.configs == ["retention.ms": "-1", "cleanup.policy": "delete"])
        #expect(repartition.partitions == 3)
    }

    @Test func changelogsAreCompactedWithAPartitionPerInputPartition() throws {
        let specs = try keyedApp().graph.topicSpecs
        let changelog = try #require(specs.first { $0.name == "internal-bars-changelog" })
        #expect(changelog.internalRole == .changelog)
        #expect(changelog.configs == ["cleanup.policy": "compact"])
        #expect(changelog.partitions == 3)
        #expect(StateFingerprint.metadataTopic(app: "internal").internalRole == .metadata)
    }

    @Test func usersTopicsAreNotInternal() throws {
        let specs = try keyedApp().graph.topicSpecs
        #expect(specs.filter { $0.internalRole == nil }.map(\.name) == ["orderbook.raw", "bars"])
    }

    // MARK: - Checking existing topics

    private let repartition = TopicSpec(name: "app-k-repartition", partitions: 3).asInternal(.repartition)
    private let changelog = TopicSpec(name: "app-s-changelog", partitions: 3).asInternal(.changelog)

    private func message(_ spec: TopicSpec, partitions: Int, configs: [String: String]?) -> String? {
        do {
            try TopicSpec.checkInternalTopics(
                [spec], existing: [spec.name: ExistingTopic(partitions: partitions, configs: configs)])
            return nil
        } catch {
            #expect(error.code == .configuration)
            return error.message
        }
    }

    @Test func settingsAsCreatedPass() {
        #expect(message(repartition, partitions: 3, configs: repartition.configs) == nil)
        #expect(message(changelog, partitions: 3, configs: changelog.configs) == nil)
        // More changelog partitions than inputs lose nothing: partition p still holds the state of input p.
        #expect(message(changelog, partitions: 6, configs: ["cleanup.policy": "compact"]) == nil)
        // Compaction with deletion but no time limit keeps every key's state.
        #expect(
            message(changelog, partitions: 3, configs: ["cleanup.policy": "compact,delete", "retention.ms": "-1"])
                == nil)
        #expect(message(TopicSpec(name: "users", partitions: 1), partitions: 7, configs: [:]) == nil)
    }

    @Test func repartitionTopicWithTimeRetentionNamesTheFix() throws {
        let text = try #require(
            message(repartition, partitions: 3, configs: ["retention.ms": "604800000", "cleanup.policy": "delete"]))
        #expect(
            text
                == "repartition topic 'app-k-repartition' has retention.ms=604800000: records keep their event time as "
                + "timestamp, so time retention deletes replayed history before it is read; set retention.ms=-1 "
                + "(kafka-configs --bootstrap-server <brokers> --alter --entity-type topics --entity-name "
                + "app-k-repartition --add-config retention.ms=-1) or delete the topic")
    }

    @Test func repartitionTopicWithSizeRetentionOrCompactionFails() throws {
        let bytes = try #require(
            message(repartition, partitions: 3, configs: ["retention.bytes": "1073741824", "retention.ms": "-1"]))
        #expect(bytes.contains("retention.bytes=1073741824"))
        #expect(bytes.contains("--add-config retention.bytes=-1"))
        let compacted = try #require(message(repartition, partitions: 3, configs: ["cleanup.policy": "compact"]))
        #expect(compacted.contains("'app-k-repartition' has cleanup.policy=compact"))
        #expect(compacted.contains("--add-config cleanup.policy=delete"))
        #expect(message(repartition, partitions: 3, configs: ["retention.ms": "-1", "retention.bytes": "-1"]) == nil)
    }

    @Test func repartitionTopicWithOtherPartitionCountFails() throws {
        for found in [2, 4] {
            let text = try #require(message(repartition, partitions: found, configs: nil))
            #expect(text.hasPrefix("repartition topic 'app-k-repartition' has \(found) partitions, the app expects 3"))
            #expect(text.contains("kafka-topics --bootstrap-server <brokers> --delete --topic app-k-repartition"))
        }
    }

    @Test func changelogThatIsNotCompactedOrTooNarrowFails() throws {
        let deleted = try #require(message(changelog, partitions: 3, configs: ["cleanup.policy": "delete"]))
        #expect(deleted.hasPrefix("changelog 'app-s-changelog' has cleanup.policy=delete, not compact"))
        #expect(deleted.contains("--add-config cleanup.policy=compact"))
        let expiring = try #require(
            message(
                changelog, partitions: 3, configs: ["cleanup.policy": "compact,delete", "retention.ms": "86400000"]))
        #expect(expiring.contains("cleanup.policy=compact,delete with retention.ms=86400000"))
        let narrow = try #require(message(changelog, partitions: 1, configs: nil))
        #expect(
            narrow.hasPrefix("changelog 'app-s-changelog' has 1 partition, fewer than the app's 3 input partitions"))
        #expect(
            narrow.contains("kafka-topics --bootstrap-server <brokers> --alter --topic app-s-changelog --partitions 3"))
    }

    @Test func everyProblemOfEveryTopicIsListed() throws {
        let error = #expect(throws: StreamAppError.self) {
            try TopicSpec.checkInternalTopics(
                [repartition, changelog],
                existing: [
                    repartition.name: ExistingTopic(partitions: 2, configs: ["retention.ms": "1000"]),
                    changelog.name: ExistingTopic(partitions: 3, configs: ["cleanup.policy": "delete"]),
                ])
        }
        // Each problem starts with "<topic kind> '<name>' has": the partition count and retention of the repartition
        // topic, the cleanup policy of the changelog.
        let problems = (error?.message.split(separator: "' has ", omittingEmptySubsequences: false).count ?? 1) - 1
        #expect(problems == 3)
    }
}
