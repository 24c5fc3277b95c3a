/// A market price update as it appears on `market.price.updates`, keyed by `symbol`:
///
///     {"event_id":"px-42-7","event_type":"price_update","symbol":"NVDA","price":116.4,"previous_price":120.1,
///      "change_pct":-3.08,"volume":4200,"ts_event_ms":1763800000123}
///
/// `change_pct` is `(price − previous_price) / previous_price × 100`, rounded to two decimals.
struct PriceUpdate: Codable, Hashable, Sendable {
    /// The kind of market event (one for now; the consumer dispatches on it).
    enum Kind: String, Codable, Hashable, Sendable {
        case priceUpdate = "price_update"
    }

    var eventId: String
    var eventType: Kind
    var symbol: String
    var price: Double
    var previousPrice: Double
    var changePct: Double
    var volume: Int
    var tsEventMs: Int64
}
