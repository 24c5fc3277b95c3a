import Testing

@testable import StreamKit

/// `PipelineHarness.restart()` models the app's guarantee: after a `keyBy`, a crash repeats the uncommitted
/// records' effects under at-least-once and not under exactly-once.
@Suite("The harness models the guarantee across a crash")
struct HarnessGuaranteeTests {
    struct Order: Codable, Sendable {
        var id: Int
        var product: String
    }

    struct Counted: Codable, Equatable, Sendable {
        var product: String
        var count: Int
    }

    static func build(_ guarantee: ProcessingGuarantee, on broker: InMemoryBroker) throws -> (
        PipelineHarness, Topic<String, Order>, Topic<String, Counted>
    ) {
        let app = try StreamApp(name: "per-product", broker: broker, guarantee: guarantee)
        let orders = app.topic("orders", key: String.self, value: Order.self, format: .json, partitions: 2)
        let counts = app.topic("counts", key: String.self, value: Counted.self, format: .json)
        app.dataframe(orders).keyBy(name: "product") { $0.product }
            .stateful(name: "count", initial: 0) { count, record in
                count += 1
                return Counted(product: record.value.product, count: count)
            }
            .to(counts)
        return (try PipelineHarness(app), orders, counts)
    }

    /// Orders 1 and 2 are committed; order 3 (product "x") is processed, the process crashes before the next
    /// checkpoint, and the restarted one reads order 3 again.
    static func run(_ guarantee: ProcessingGuarantee) async throws -> [Counted] {
        let broker = InMemoryBroker()
        let (h, orders, counts) = try build(guarantee, on: broker)
        try h.send(orders, key: "o1", value: Order(id: 1, product: "x"), timestamp: .at(.seconds(1)))
        try h.send(orders, key: "o2", value: Order(id: 2, product: "y"), timestamp: .at(.seconds(2)))
        try await h.checkpoint()
        try h.send(orders, key: "o3", value: Order(id: 3, product: "x"), timestamp: .at(.seconds(3)))
        try h.restart()
        return try h.values(in: counts).filter { $0.product == "x" }
    }

    @Test("exactly once: the aborted transaction's outputs and repartitioned copies are gone; x counts 1, 2")
    func exactlyOnce() async throws {
        #expect(try await Self.run(.exactlyOnce) == [Counted(product: "x", count: 1), Counted(product: "x", count: 2)])
    }

    @Test("at least once: order 3 is repartitioned twice and its output repeats; x counts 1, 2, 2, 3")
    func atLeastOnce() async throws {
        // Before the crash: 1, 2. After: the downstream task restores x = 1 and reads from its committed offset
        // both copies of order 3 in the repartition topic (the first one's, and the replay's): 2, 3.
        #expect(
            try await Self.run(.atLeastOnce) == [
                Counted(product: "x", count: 1), Counted(product: "x", count: 2), Counted(product: "x", count: 2),
                Counted(product: "x", count: 3),
            ])
    }
}
