/// A market price update as it appears on `market.price.updates`, keyed by `symbol`:
///
///     {"event_id":"px-42-7","event_type":"price_update","symbol":"NVDA","price":116.4,"previous_price":120.1,
///      "change_pct":-3.08,"volume":4200,"ts_event_ms":1763800000123}
///
/// `change_pct` is `(price − previous_price) / previous_price × 100`, rounded to two decimals.
package struct PriceUpdate: Codable, Hashable, Sendable {
    /// The kind of market event (one for now; the consumer dispatches on it).
    package enum Kind: String, Codable, Hashable, Sendable {
        case priceUpdate = "price_update"
    }

    package var eventId: String
    package var eventType: Kind
    package var symbol: String
    package var price: Double
    package var previousPrice: Double
    package var changePct: Double
    package var volume: Int
    package var tsEventMs: Int64

    package init(
        eventId: String, eventType: Kind, symbol: String, price: Double, previousPrice: Double, changePct: Double,
        volume: Int, tsEventMs: Int64
    ) {
        self.eventId = eventId
        self.eventType = eventType
        self.symbol = symbol
        self.price = price
        self.previousPrice = previousPrice
        self.changePct = changePct
        self.volume = volume
        self.tsEventMs = tsEventMs
    }
}
