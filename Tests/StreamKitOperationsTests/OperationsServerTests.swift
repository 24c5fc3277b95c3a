import Foundation
import Metrics
import MetricsTestKit
import Prometheus
import StreamKit
import StreamKitOperations
import StreamKitTestSupport
import Testing

@Suite("The operations endpoints over HTTP")
struct OperationsServerTests {
    private static func status(in answer: HTTPAnswer) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
    }

    @Test(.timeLimit(.minutes(1)))
    func metricsCountWhatWasSentAndTheAppTurnsReady() async throws {
        let broker = InMemoryBroker()
        let app = try StreamApp(name: "clicks-app", broker: broker, metrics: PrometheusMetricsFactory.streamKit())
        let clicks = app.topic("clicks", key: String.self, value: Int.self, format: .json, partitions: 2)
        let even = app.topic("clicks.even", key: String.self, value: Int.self, format: .json)
        app.dataframe(clicks)
            .validate({ $0 >= 0 ? nil : "negative" }, otherwise: .deadLetter("clicks.invalid"))
            .filter { $0.isMultiple(of: 2) }
            .to(even)
        broker.createTopic(clicks.spec)
        for value in -3..<17 {
            broker.append(
                RawRecord(
                    topic: "clicks", key: Array("user-\(value)".utf8), value: Array("\(value)".utf8),
                    timestamp: .init(milliseconds: 0)))
        }
        let service = try await RunningService.start(app)
        try await waitUntil("/ready to answer 200") { try await service.get("/ready").status == 200 }

        let scrape = try await service.get("/metrics")
        #expect(scrape.status == 200)
        #expect(scrape.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
        let metrics = PrometheusSamples(scrape.body)
        let app_ = ["app": "clicks-app"]
        // 20 values -3…16: -3, -2, -1 dead-lettered; of 0…16, the 9 even ones kept and the 8 odd ones dropped.
        #expect(metrics.value(StreamMetricName.recordsIn, app_.merging(["topic": "clicks"]) { $1 }) == 20)
        #expect(metrics.value(StreamMetricName.recordsOut, app_.merging(["topic": "clicks.even"]) { $1 }) == 9)
        #expect(metrics.value(StreamMetricName.recordsOut, ["topic": "clicks.invalid"]) == nil)
        #expect(metrics.value(StreamMetricName.recordsFiltered, app_) == 8)
        #expect(
            metrics.value(StreamMetricName.recordsFailed, ["stage": "validate", "action": "dead_letter"]) == 3)
        for partition in ["0", "1"] {
            #expect(metrics.value(StreamMetricName.consumerLag, ["topic": "clicks", "partition": partition]) == 0)
        }
        #expect((metrics.value(StreamMetricName.checkpointDuration + "_count", app_) ?? 0) >= 1)

        let health = try await service.get("/health")
        #expect(health.status == 200)
        #expect(try Self.status(in: health)["phase"] as? String == "running")
        let ready = try Self.status(in: try await service.get("/ready"))
        #expect(ready["status"] as? String == "up")
        #expect(ready["assigned_partitions"] as? [String] == ["clicks[0]", "clicks[1]"])
        #expect(ready["restored"] as? Bool == true)

        try await service.shutDown()
        #expect(app.status.snapshot.phase == .stopped)
        #expect(broker.committedOffsets(group: "clicks-app").values.reduce(0, +) == 20)
    }

    @Test(.timeLimit(.minutes(1)))
    func readyAnswers200OnlyOnceThePartitionIsAssignedAndRestored() async throws {
        let broker = HeldReadsBroker()
        let app = try StreamApp(name: "restoring", broker: broker, metrics: PrometheusMetricsFactory.streamKit())
        let events = app.topic("events", key: String.self, value: Int.self, format: .json)
        app.dataframe(events).tumblingWindow(.seconds(1), name: "per-second").count().final().to(
            CollectingSink<WindowResult<String, Int>>())
        let service = try await RunningService.start(app)

        // Held at start-up (the state-layout check): not assigned yet.
        try await waitUntil("the start-up read") { broker.waitingReads == 1 }
        let starting = try await service.get("/ready")
        #expect(starting.status == 503)
        #expect(try Self.status(in: starting)["phase"] as? String == "starting")
        #expect(try await service.get("/health").status == 200)

        // Held restoring the window store of the assigned partition: assigned, not restored.
        broker.allowOneRead()
        try await waitUntil("the changelog restore") {
            broker.waitingReads == 1 && !app.status.snapshot.assignedPartitions.isEmpty
        }
        let restoring = try await service.get("/ready")
        #expect(restoring.status == 503)
        let report = try Self.status(in: restoring)
        #expect(report["assigned_partitions"] as? [String] == ["events[0]"])
        #expect(report["restored"] as? Bool == false)
        #expect(report["status"] as? String == "down")

        broker.allowOneRead()
        try await waitUntil("/ready to answer 200") { try await service.get("/ready").status == 200 }
        #expect(try Self.status(in: try await service.get("/ready"))["restored"] as? Bool == true)
        try await service.shutDown()
    }

    @Test func metricsAnswer404WhenTheAppDoesNotExportToPrometheus() async throws {
        let app = try StreamApp(name: "unexported", broker: InMemoryBroker(), metrics: TestMetrics())
        app.dataframe(app.topic("in", key: String.self, value: Int.self, format: .json)).to(CollectingSink<Int>())
        let service = try await RunningService.start(app)
        let answer = try await service.get("/metrics")
        #expect(answer.status == 404)
        #expect(answer.body.contains("PrometheusMetricsFactory"))
        try await service.shutDown()
    }
}
