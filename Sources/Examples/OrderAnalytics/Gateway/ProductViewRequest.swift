/// The body of `POST /api/v1/product-views`: `{"user_id","product_id","ts_event_ms"?}`.
struct ProductViewRequest: Codable, Sendable {
    var userId: String
    var productId: String
    var tsEventMs: Int64?

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", productId = "product_id", tsEventMs = "ts_event_ms"
    }

    /// The view event, or the first rule the request breaks.
    func validated(receivedAtMs: Int64) throws(RequestRejection) -> ProductView {
        try OrderRequest.checkIdentifier(userId, field: "user_id")
        try OrderRequest.checkIdentifier(productId, field: "product_id")
        if let tsEventMs, tsEventMs <= 0 {
            throw .invalid("ts_event_ms", "must be milliseconds since the Unix epoch, not \(tsEventMs)")
        }
        return ProductView(userId: userId, productId: productId, tsEventMs: tsEventMs ?? receivedAtMs)
    }
}
