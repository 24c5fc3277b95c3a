/// An order as it appears on `order_events`, keyed by `order_id`:
/// `{"order_id","user_id","items":[{"product_id","quantity","price"}],"total","ts_event_ms"}`.
struct OrderEvent: Codable, Hashable, Sendable {
    /// One line of an order.
    struct Item: Codable, Hashable, Sendable {
        var productId: String
        var quantity: Int
        var price: Double
    }

    var orderId: String
    var userId: String
    var items: [Item]
    var total: Double
    var tsEventMs: Int64

    /// One line per product, with the quantities and revenue of that product's lines added up, so that each
    /// line stands for one (order, product) pair and a window can count orders by counting lines.
    var productLines: [ProductLine] {
        var lines: [ProductLine] = []
        for item in items {
            if let index = lines.firstIndex(where: { $0.productId == item.productId }) {
                lines[index].units += item.quantity
                lines[index].revenue += Double(item.quantity) * item.price
            } else {
                lines.append(
                    ProductLine(
                        productId: item.productId, units: item.quantity, revenue: Double(item.quantity) * item.price))
            }
        }
        return lines
    }
}

/// What one order contributed to one product: the unit of the 5-minute aggregation.
struct ProductLine: Codable, Hashable, Sendable {
    var productId: String
    var units: Int
    var revenue: Double
}
