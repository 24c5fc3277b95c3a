import Foundation
import StreamKitTestSupport
import Testing

/// The gateway as a separate process against the separate broker: it refuses invalid bodies with a 4xx and a
/// JSON error naming the field, and writes a retried order exactly once.
@Suite(
    "order-analytics gateway", .enabled(if: TestEnvironment.hasKafka, SkipReason.noKafka),
    .timeLimit(.minutes(3)))
struct OrderGatewayTests {
    static func order(_ id: String, items: [TestOrder.Item] = [.init(productId: "p-1", quantity: 2, price: 4.5)])
        -> TestOrder
    {
        TestOrder(
            orderId: id, userId: "u-1", items: items, total: items.reduce(0) { $0 + Double($1.quantity) * $1.price },
            tsEventMs: 1_795_000_000_000)
    }

    @Test func rejectsInvalidBodiesWithAClientErrorNamingTheField() async throws {
        let prefix = TestEnvironment.uniqueName("gw-invalid") + "."
        let gateway = try await GatewayClient(["--topic-prefix", prefix, "--format", "json"])
        let valid =
            #"{"order_id":"o-1","user_id":"u-1","items":[{"product_id":"p-1","quantity":2,"price":4.5}],"total":9.0}"#
        let cases: [(body: String, status: Int, field: String?)] = [
            (#"{"order_id":"o-1","user_id":"#, 400, "user_id"),  // malformed: ends while reading user_id
            ("[]", 400, nil),  // not an object
            (valid.replacingOccurrences(of: #""user_id":"u-1","#, with: ""), 400, "user_id"),  // missing field
            (valid.replacingOccurrences(of: #""quantity":2"#, with: #""quantity":"two""#), 400, "items[0].quantity"),
            (valid.replacingOccurrences(of: #""quantity":2"#, with: #""quantity":-2"#), 422, "items[0].quantity"),
            (valid.replacingOccurrences(of: #""quantity":2"#, with: #""quantity":0"#), 422, "items[0].quantity"),
            (valid.replacingOccurrences(of: #""price":4.5"#, with: #""price":-4.5"#), 422, "items[0].price"),
            (valid.replacingOccurrences(of: #""total":9.0"#, with: #""total":10.0"#), 422, "total"),  // 2 × 4.5 = 9
            (#"{"order_id":"o-1","user_id":"u-1","items":[],"total":0}"#, 422, "items"),
            (valid.replacingOccurrences(of: #""order_id":"o-1""#, with: #""order_id":"""#), 422, "order_id"),
        ]
        for (body, status, field) in cases {
            let reply = try await gateway.post("api/v1/orders", body)
            #expect(reply.status == status, "\(body)")
            #expect(reply.json["field"] as? String == field, "\(body)")
            #expect((reply.json["error"] as? String ?? "").isEmpty == false, "\(body)")
        }
        let view = try await gateway.post("api/v1/product-views", #"{"user_id":"u-1"}"#)
        #expect(view.status == 400 && view.json["field"] as? String == "product_id")
        #expect(try await gateway.post("api/v1/product-views", #"{"user_id":"u-1","product_id":"p-1"}"#).status == 202)
        #expect(try await gateway.send("health", method: "GET").status == 200)
        #expect(try await gateway.post("api/v1/orders", valid).status == 202)
        try await gateway.stop()

        // Only the two valid records were written.
        #expect(try await OutputReader.records(prefix + "order_events").map(\.key) == ["o-1"])
        #expect(try await OutputReader.records(prefix + "product_views").map(\.key) == ["p-1"])
    }

    @Test func writesARetriedOrderExactlyOnce() async throws {
        let prefix = TestEnvironment.uniqueName("gw-retry") + "."
        let gateway = try await GatewayClient(["--topic-prefix", prefix, "--format", "json"])
        let first = Self.order("o-retried")
        var replies: [[String: Any]] = []
        for _ in 0..<3 {
            let reply = try await gateway.post(first)
            #expect(reply.status == 202)
            replies.append(reply.json)
        }
        #expect(replies.map { $0["duplicate"] as? Bool } == [false, true, true])
        #expect(Set(replies.map { "\($0["partition"] ?? "")/\($0["offset"] ?? "")" }).count == 1)

        // The same id with another body is a conflict, not a retry.
        var changed = first
        changed.items[0].quantity = 3
        changed.total = 13.5
        let conflict = try await gateway.post(changed)
        #expect(conflict.status == 409 && conflict.json["field"] as? String == "order_id")

        // Three concurrent retries: one write, two answers from the first.
        let concurrent = Self.order("o-concurrent")
        let duplicates = try await withThrowingTaskGroup(of: (Int, Bool?).self) { group in
            for _ in 0..<3 {
                group.addTask {
                    let reply = try await gateway.post(concurrent)
                    return (reply.status, reply.json["duplicate"] as? Bool)
                }
            }
            return try await group.reduce(into: [(Int, Bool?)]()) { $0.append($1) }
        }
        #expect(duplicates.allSatisfy { $0.0 == 202 })
        #expect(duplicates.filter { $0.1 == false }.count == 1 && duplicates.filter { $0.1 == true }.count == 2)
        #expect(try await gateway.post(Self.order("o-other")).status == 202)
        try await gateway.stop()

        let records = try await OutputReader.records(prefix + "order_events")
        #expect(records.map(\.key).sorted() == ["o-concurrent", "o-other", "o-retried"])
        let written = try #require(records.first { $0.key == "o-retried" })
        #expect(try TestOrder.decode(written.value) == first)
    }
}
