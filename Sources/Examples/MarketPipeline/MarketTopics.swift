/// The topics of the market pipeline. Their names are fixed (other tools read them); a prefix lets several
/// pipelines, or tests, share one cluster.
struct MarketTopics: Sendable {
    /// Ticks from the feed, keyed by symbol.
    let raw: String
    /// Rejected records: original bytes plus the `streamkit.error` reason header.
    let invalid: String
    /// Closed 1-second bars per symbol.
    let bars: String
    /// Spread and price spikes.
    let spikes: String
    /// Sequence gaps per symbol.
    let gaps: String

    init(prefix: String = "") {
        raw = prefix + "orderbook.raw"
        invalid = prefix + "orderbook.invalid"
        bars = prefix + "orderbook.bars.1s"
        spikes = prefix + "orderbook.spikes"
        gaps = prefix + "orderbook.gaps"
    }
}
