import StreamKit

/// A product whose window revenue jumped above its EMA baseline, as it appears on `trend_alerts`, keyed by
/// `product_id`: `{"product_id","window_start_ms","window_end_ms","revenue","baseline","ratio","severity"}`.
///
/// `baseline` is the product's EMA of window revenue (α = 0.3) *before* this window; `severity` is `HIGH` when
/// `ratio` = revenue / baseline is above 3, else `MEDIUM` (alerts start above 2).
struct TrendAlert: Codable, Hashable, Sendable {
    var productId: String
    var windowStartMs: Int64
    var windowEndMs: Int64
    var revenue: Double
    var baseline: Double
    var ratio: Double
    var severity: SpikeSeverity

    init(_ spike: SpikeAlert<OrderAggregate>) {
        productId = spike.value.productId
        windowStartMs = spike.value.windowStartMs
        windowEndMs = spike.value.windowEndMs
        revenue = spike.observed
        baseline = spike.baseline
        // Revenue is never negative, and a ratio rule never fires against a zero baseline.
        ratio = spike.ratio ?? .infinity
        severity = spike.severity
    }
}
