/// A product page view as it appears on `product_views`, keyed by `product_id`:
/// `{"user_id","product_id","ts_event_ms"}`.
struct ProductView: Codable, Hashable, Sendable {
    var userId: String
    var productId: String
    var tsEventMs: Int64
}
