import ExampleSupport
import Foundation

/// The tests' fixed, seeded input: orders over two hours of event time, three hours back from now (the test
/// broker drops records older than its retention at once, so event times stay recent), on 5-minute boundaries.
///
/// Every 5-minute window gets a few orders of 1–3 lines (a product may appear twice in one order), and two
/// windows get bursts: `p-2` at about 5× its usual revenue, `p-4` at about 2.5×, so that the expected alerts
/// include both severities.
struct OrderFixture {
    static let window: Int64 = 300_000
    static let prices = ["p-1": 4.5, "p-2": 19.99, "p-3": 7.25, "p-4": 12.0, "p-5": 99.0]

    let base: Int64
    let orders: [TestOrder]

    init(seed: UInt64, windows: Int = 24) {
        var random = SplitMix64(seed: seed)
        let now = Int64(Date().timeIntervalSince1970 * 1_000)
        let base = now / Self.window * Self.window - 3 * 3_600_000
        let products = Self.prices.keys.sorted()
        var generated: [TestOrder] = []
        func order(at window: Int, _ items: [TestOrder.Item]) {
            let ts = base + Int64(window) * Self.window + Int64.random(in: 0..<Self.window, using: &random)
            let total = items.reduce(0.0) { $0 + Double($1.quantity) * $1.price }
            generated.append(
                TestOrder(
                    orderId: "o-\(seed)-\(generated.count)", userId: "u-\(Int.random(in: 1...9, using: &random))",
                    items: items, total: (total * 100).rounded() / 100, tsEventMs: ts))
        }
        for window in 0..<windows {
            for _ in 0..<Int.random(in: 3...5, using: &random) {
                let items = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                    let product = products.randomElement(using: &random)!
                    return TestOrder.Item(
                        productId: product, quantity: Int.random(in: 1...4, using: &random),
                        price: Self.prices[product]!)
                }
                order(at: window, items)
            }
            let burst = window == windows / 2 ? ("p-2", 12) : window == windows * 3 / 4 ? ("p-4", 3) : nil
            if let (product, count) = burst {
                for _ in 0..<count {
                    order(at: window, [TestOrder.Item(productId: product, quantity: 2, price: Self.prices[product]!)])
                }
            }
        }
        self.base = base
        orders = generated
    }
}
