import ExampleSupport
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The demo load of `order-analytics all`: sample orders posted to the gateway over HTTP, some of them twice
/// (client retries) and two invalid ones, so every path of the gateway shows in the output.
enum DemoLoad {
    static let products: [(id: String, price: Double)] = [
        ("espresso-beans", 14.5), ("grinder", 89.0), ("kettle", 39.9), ("filter-papers", 4.25), ("mug", 9.0),
        ("scale", 24.0),
    ]
    /// The event time the orders span, ending now.
    static let span: Int64 = 2 * 3_600_000

    /// What the gateway answered.
    struct Outcome {
        var accepted = 0
        var duplicates = 0
        var rejected: [String] = []
    }

    /// `count` orders over the two hours before `endMs`, in event-time order. A tenth of them are extra
    /// `grinder` orders in one 5-minute window, so the trend detector has a spike to find.
    static func orders(count: Int, endMs: Int64, seed: UInt64) -> [OrderRequest] {
        var random = SplitMix64(seed: seed)
        let start = endMs - span
        let burstStart = start + span * 2 / 3
        var orders: [OrderRequest] = []
        for index in 0..<count {
            let isBurst = index % 10 == 9
            let ts =
                isBurst
                ? burstStart + Int64.random(in: 0..<300_000, using: &random)
                : start + Int64.random(in: 0..<span, using: &random)
            var items: [OrderRequest.Item] = []
            for _ in 0..<(isBurst ? 1 : Int.random(in: 1...3, using: &random)) {
                let product = isBurst ? products[1] : products.randomElement(using: &random)!
                items.append(
                    .init(productId: product.id, quantity: Int.random(in: 1...3, using: &random), price: product.price))
            }
            let total = items.reduce(0) { $0 + Double($1.quantity) * $1.price }
            orders.append(
                OrderRequest(
                    orderId: "demo-\(seed)-\(index)", userId: "user-\(Int.random(in: 1...40, using: &random))",
                    items: items, total: (total * 100).rounded() / 100, tsEventMs: ts))
        }
        return orders.sorted { $0.tsEventMs! < $1.tsEventMs! }
    }

    /// Posts `orders` to `gateway` (every tenth twice, as a retry) and two invalid orders, `concurrency` at a time.
    static func post(_ orders: [OrderRequest], to gateway: URL, concurrency: Int = 16) async throws -> Outcome {
        let url = gateway.appendingPathComponent("api/v1/orders")
        let encoder = JSONEncoder()
        var bodies: [Data] = []
        for (index, order) in orders.enumerated() {
            let body = try encoder.encode(order)
            bodies.append(body)
            if index % 10 == 0 { bodies.append(body) }
        }
        if var invalid = orders.first {
            invalid.orderId += "-bad-quantity"
            invalid.items[0].quantity = -1
            bodies.append(try encoder.encode(invalid))
            invalid.orderId += "-bad-total"
            invalid.items[0].quantity = 1
            invalid.total += 1
            bodies.append(try encoder.encode(invalid))
        }
        var outcome = Outcome()
        try await withThrowingTaskGroup(of: (Int, Data).self) { group in
            var next = 0
            func submit() {
                guard next < bodies.count else { return }
                let body = bodies[next]
                next += 1
                group.addTask { try await send(body, to: url) }
            }
            for _ in 0..<concurrency { submit() }
            for try await (status, answer) in group {
                let reply = try? JSONSerialization.jsonObject(with: answer) as? [String: Any]
                if status == 202 {
                    outcome.accepted += 1
                    if reply?["duplicate"] as? Bool == true { outcome.duplicates += 1 }
                } else {
                    outcome.rejected.append("\(status) \(reply?["error"] as? String ?? "")")
                }
                submit()
            }
        }
        return outcome
    }

    private static func send(_ body: Data, to url: URL) async throws -> (Int, Data) {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}
