/// A naive reference of the pipeline's semantics (DESIGN.md section 5), written from the specification and
/// not from the example's code: what `order_aggregates` and `trend_alerts` must hold for a set of orders.
enum OrderReference {
    /// Per product and 5-minute window: the orders containing the product, its units, Σ quantity × price.
    static func aggregates(_ orders: [TestOrder]) -> [AggregateRecord] {
        var byKey: [String: AggregateRecord] = [:]
        for order in orders {
            let start = order.tsEventMs - order.tsEventMs % OrderFixture.window
            var counted: Set<String> = []
            for item in order.items {
                let key = "\(item.productId)@\(start)"
                var aggregate =
                    byKey[key]
                    ?? AggregateRecord(
                        productId: item.productId, windowStartMs: start, windowEndMs: start + OrderFixture.window,
                        orderCount: 0, units: 0, revenue: 0)
                if counted.insert(item.productId).inserted { aggregate.orderCount += 1 }
                aggregate.units += item.quantity
                aggregate.revenue += Double(item.quantity) * item.price
                byKey[key] = aggregate
            }
        }
        return byKey.values.sorted { ($0.productId, $0.windowStartMs) < ($1.productId, $1.windowStartMs) }
    }

    /// Per product, windows in time order: the first revenue is the baseline; each next one alerts when it is
    /// above 2× the baseline before it (HIGH above 3×); then baseline = 0.3 · revenue + 0.7 · baseline.
    static func alerts(_ aggregates: [AggregateRecord]) -> [AlertRecord] {
        var alerts: [AlertRecord] = []
        for product in Set(aggregates.map(\.productId)).sorted() {
            var baseline: Double?
            for window in aggregates.filter({ $0.productId == product }).sorted(by: {
                $0.windowStartMs < $1.windowStartMs
            }) {
                let revenue = window.revenue
                if let before = baseline {
                    if before > 0, revenue > 2 * before {
                        alerts.append(
                            AlertRecord(
                                productId: product, windowStartMs: window.windowStartMs,
                                windowEndMs: window.windowEndMs, revenue: revenue, baseline: before,
                                ratio: revenue / before, severity: revenue / before > 3 ? "HIGH" : "MEDIUM"))
                    }
                    baseline = 0.3 * revenue + 0.7 * before
                } else {
                    baseline = revenue
                }
            }
        }
        return alerts
    }
}
