/// The body of `POST /api/v1/orders`: an order event whose `ts_event_ms` may be left to the gateway.
///
/// The coding keys are the wire names, so decoding errors name fields as clients wrote them (`items[0].price`).
struct OrderRequest: Codable, Sendable {
    struct Item: Codable, Sendable {
        var productId: String
        var quantity: Int
        var price: Double

        enum CodingKeys: String, CodingKey {
            case productId = "product_id", quantity, price
        }
    }

    var orderId: String
    var userId: String
    var items: [Item]
    var total: Double
    var tsEventMs: Int64?

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id", userId = "user_id", items, total, tsEventMs = "ts_event_ms"
    }

    /// The most lines an order may have.
    static let maxItems = 1_000
    /// The largest quantity of one line.
    static let maxQuantity = 1_000_000

    /// The order event, or the first rule the request breaks.
    ///
    /// - Parameter receivedAtMs: The event time when the request gives none.
    func validated(receivedAtMs: Int64) throws(RequestRejection) -> OrderEvent {
        try Self.checkIdentifier(orderId, field: "order_id")
        try Self.checkIdentifier(userId, field: "user_id")
        guard !items.isEmpty else { throw .invalid("items", "must list at least one item") }
        guard items.count <= Self.maxItems else { throw .invalid("items", "must list at most \(Self.maxItems) items") }
        var sum = 0.0
        for (index, item) in items.enumerated() {
            try Self.checkIdentifier(item.productId, field: "items[\(index)].product_id")
            guard item.quantity >= 1, item.quantity <= Self.maxQuantity else {
                throw .invalid(
                    "items[\(index)].quantity", "must be an integer from 1 to \(Self.maxQuantity), not \(item.quantity)"
                )
            }
            guard item.price.isFinite, item.price >= 0 else {
                throw .invalid("items[\(index)].price", "must be a non-negative number, not \(item.price)")
            }
            sum += Double(item.quantity) * item.price
        }
        guard total.isFinite, total >= 0 else { throw .invalid("total", "must be a non-negative number, not \(total)") }
        // Prices are decimal amounts carried as doubles: allow half a cent of rounding.
        guard abs(total - sum) <= 0.005 else {
            throw .invalid("total", "is \(total) but the items add up to \(sum) (Σ quantity × price)")
        }
        if let tsEventMs, tsEventMs <= 0 {
            throw .invalid("ts_event_ms", "must be milliseconds since the Unix epoch, not \(tsEventMs)")
        }
        return OrderEvent(
            orderId: orderId, userId: userId,
            items: items.map { OrderEvent.Item(productId: $0.productId, quantity: $0.quantity, price: $0.price) },
            total: total, tsEventMs: tsEventMs ?? receivedAtMs)
    }

    /// An id must be 1–128 bytes without control characters (it becomes a record key and a table value).
    static func checkIdentifier(_ value: String, field: String) throws(RequestRejection) {
        guard !value.isEmpty else { throw .invalid(field, "must not be empty") }
        guard value.utf8.count <= 128 else { throw .invalid(field, "must be at most 128 bytes") }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalid(field, "must not contain control characters")
        }
    }
}
