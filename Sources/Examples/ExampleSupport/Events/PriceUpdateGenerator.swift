/// Simulated price updates for five stocks: each update moves one symbol's price by a uniformly drawn −5 % to
/// +5 %, so about two in five updates move 3 % or more. Ids are `px-<seed>-<n>`, n counting from 1.
package struct PriceUpdateGenerator: EventGenerator {
    package static let symbols = ["AAPL", "MSFT", "GOOGL", "AMZN", "NVDA"]

    private var rng: SplitMix64
    private let seed: UInt64
    /// Prices in cents, per symbol.
    private var prices = [19_000, 41_000, 17_000, 18_500, 12_000]
    private var produced = 0

    package init(seed: UInt64) {
        self.seed = seed
        rng = SplitMix64(seed: seed ^ 0x7072_6963_6573)  // another stream than a bank generator's with this seed
    }

    package mutating func next(timestampMs: Int64) -> PriceUpdate {
        produced += 1
        let symbol = rng.next(in: 0...(Self.symbols.count - 1))
        let basisPoints = rng.next(in: -500...500)
        let previous = prices[symbol]
        let price = max(1, previous + (previous * basisPoints / 10_000))
        prices[symbol] = price
        let changePct = (Double(price - previous) / Double(previous) * 10_000).rounded() / 100
        return PriceUpdate(
            eventId: "px-\(seed)-\(produced)", eventType: .priceUpdate, symbol: Self.symbols[symbol],
            price: Double(price) / 100, previousPrice: Double(previous) / 100, changePct: changePct,
            volume: rng.next(in: 100...10_000), tsEventMs: timestampMs)
    }
}
