import StreamKitTestSupport
import Testing

@testable import StreamKit

@Suite("Stateless and keyed operators")
struct OperatorTests {
    struct Order: Codable, Hashable, Sendable {
        var orderId: String
        var items: [Item]
    }

    struct Item: Codable, Hashable, Sendable {
        var productId: String
        var quantity: Int
        var price: Double
    }

    @Test func mapFilterCompactMapFlatMapPeekUpdate() throws {
        let app = try makeApp()
        let input = app.topic("in", key: String.self, value: Int.self, format: .json)
        let out = app.topic("out", key: String.self, value: String.self, format: .json)
        var peeked: [Int] = []
        app.dataframe(input)
            .filter { $0 % 2 == 1 }  // 1, 3, 5
            .flatMap { [$0, $0 * 10] }  // 1, 10, 3, 30, 5, 50
            .compactMap { $0 > 5 ? $0 : nil }  // 10, 30, 50
            .peek { peeked.append($0.value) }
            .update { $0 += 1 }  // 11, 31, 51
            .map { "v\($0)" }
            .to(out)
        let h = try PipelineHarness(app)
        try h.send(input, [1, 2, 3, 4, 5], key: { _ in "k" }, timestamp: { _ in .at(.zero) })
        #expect(try h.values(in: out) == ["v11", "v31", "v51"])
        #expect(peeked == [10, 30, 50])
    }

    @Test func branchAndMerge() throws {
        let app = try makeApp()
        let input = app.topic("in", key: String.self, value: Int.self, format: .json)
        let big = app.topic("big", key: String.self, value: Int.self, format: .json)
        let all = app.topic("all", key: String.self, value: Int.self, format: .json)
        let (large, small) = app.dataframe(input).branch { $0 >= 10 }
        large.to(big)
        large.map { $0 * 100 }.merge(small).to(all)
        let h = try PipelineHarness(app)
        try h.send(input, [5, 20, 7], key: { _ in "k" }, timestamp: { _ in .at(.zero) })
        #expect(try h.values(in: big) == [20])
        #expect(try h.values(in: all) == [5, 2_000, 7])
    }

    @Test func keyByRepartitionsAndWindowsPerNewKey() throws {
        let app = try makeApp()
        let orders = app.topic("orders", key: String.self, value: Order.self, format: .json, partitions: 3)
        let units = app.topic("units", key: String.self, value: WindowResult<String, Int>.self, format: .json)
        app.dataframe(orders)
            .flatMap(\.items)
            .keyBy(name: "by-product") { $0.productId }
            .tumblingWindow(.seconds(300))
            .sum(\.quantity)
            .final()
            .to(units)
        let h = try PipelineHarness(app)
        let o1 = Order(
            orderId: "o1",
            items: [Item(productId: "p1", quantity: 2, price: 1), Item(productId: "p2", quantity: 1, price: 3)])
        let o2 = Order(orderId: "o2", items: [Item(productId: "p1", quantity: 5, price: 1)])
        try h.send(orders, [o1, o2], key: \.orderId, timestamp: { _ in .at(.seconds(10)) })
        try h.advanceWatermark(to: .at(.seconds(600)))
        let result = try h.values(in: units).sorted { $0.key < $1.key }
        // p1: 2 + 5 = 7; p2: 1
        #expect(result.map(\.key) == ["p1", "p2"])
        #expect(result.map(\.value) == [7, 1])
        // The repartition topic holds one record per item, keyed by product, and the upstream's watermarks
        // (control records with a null key, never seen downstream).
        let records = h.rawRecords(in: "test-app-by-product-repartition")
        let repartitioned = records.filter { $0.key != nil }
        #expect(repartitioned.count == 3)
        #expect(Set(repartitioned.map { String(decoding: $0.key ?? [], as: UTF8.self) }) == ["p1", "p2"])
        #expect(records.contains { $0.key == nil && $0.headers.value(named: "streamkit.watermark") != nil })
    }

    @Test func dedupeDropsRepeatsWithinTheWindowOnly() throws {
        let app = try makeApp()
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json)
        let out = app.topic("out", key: String.self, value: Tick.self, format: .json)
        app.dataframe(ticks).dedupe(by: \.sequence, within: .seconds(10)).to(out)
        let h = try PipelineHarness(app)
        try h.send(
            ticks,
            [
                tick(mid: 1, at: 0, sequence: 1), tick(mid: 1, at: 1_000, sequence: 1),
                tick("OTHER", mid: 1, at: 1_000, sequence: 1), tick(mid: 1, at: 12_000, sequence: 1),
            ])
        // The repeat at 1 s is dropped; the other key is separate; at 12 s the first sighting is 12 s old.
        #expect(try h.values(in: out).map(\.tsEventMs) == [0, 1_000, 12_000])
    }

    @Test func statefulOperatorKeepsStatePerKey() throws {
        struct Gap: Codable, Hashable { var from: Int64; var to: Int64 }
        let app = try makeApp()
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json)
        let gaps = app.topic("gaps", key: String.self, value: Gap.self, format: .json)
        app.dataframe(ticks).stateful(name: "gaps", initial: Int64(0)) { last, record -> Gap? in
            defer { last = record.value.sequence }
            return last > 0 && record.value.sequence > last + 1 ? Gap(from: last, to: record.value.sequence) : nil
        }.to(gaps)
        let h = try PipelineHarness(app)
        try h.send(
            ticks,
            [
                tick("A", mid: 1, at: 0, sequence: 1), tick("B", mid: 1, at: 0, sequence: 7),
                tick("A", mid: 1, at: 0, sequence: 2), tick("A", mid: 1, at: 0, sequence: 5),
            ])
        #expect(try h.values(in: gaps) == [Gap(from: 2, to: 5)])
    }
}
