import StreamKit

/// One product's orders in one 5-minute window, as it appears on `order_aggregates`, keyed by `product_id`:
/// `{"product_id","window_start_ms","window_end_ms","order_count","units","revenue"}`.
struct OrderAggregate: Codable, Hashable, Sendable {
    var productId: String
    var windowStartMs: Int64
    var windowEndMs: Int64
    /// Orders that contained the product (an order with two lines of it counts once).
    var orderCount: Int
    /// Units of the product sold.
    var units: Int
    /// Σ quantity × price over the product's lines.
    var revenue: Double

    init(productId: String, windowStartMs: Int64, windowEndMs: Int64, orderCount: Int, units: Int, revenue: Double) {
        self.productId = productId
        self.windowStartMs = windowStartMs
        self.windowEndMs = windowEndMs
        self.orderCount = orderCount
        self.units = units
        self.revenue = revenue
    }

    init(_ window: WindowResult<String, Totals>) {
        self.init(
            productId: window.key, windowStartMs: window.start.milliseconds, windowEndMs: window.end.milliseconds,
            orderCount: window.value.orderCount, units: window.value.units, revenue: window.value.revenue)
    }

    /// The running totals of one (product, window).
    struct Totals: Codable, Hashable, Sendable {
        var orderCount = 0
        var units = 0
        var revenue = 0.0

        mutating func add(_ line: ProductLine) {
            orderCount += 1
            units += line.units
            revenue += line.revenue
        }
    }
}
