import ArgumentParser
import ExampleSupport

/// How much the producers simulate, how fast, and from which seed.
struct GeneratorOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp("Events per producer; 0 for no end.", discussion: "Default: 100 with 'all', else no end."))
    var count: Int?

    @Option(help: "Events per second per producer; 0 for as fast as possible.")
    var rate = 20.0

    @Option(help: "Random seed: the same seed gives the same events (ids included), timestamps aside.")
    var seed: UInt64 = 42

    func validate() throws {
        if let count, count < 0 { throw ValidationError("--count must be 0 (no end) or positive") }
        guard rate >= 0, rate.isFinite else { throw ValidationError("--rate must be 0 (no pacing) or positive") }
    }

    /// Events per producer, `nil` for no end.
    func resolvedCount(default value: Int?) -> Int? {
        guard let count else { return value }
        return count == 0 ? nil : count
    }

    /// The bank transactions to produce.
    func bankTransactions(count: Int?) -> PacedEvents<BankTransactionGenerator> {
        PacedEvents(generator: BankTransactionGenerator(seed: seed), count: count, rate: rate)
    }

    /// The price updates to produce.
    func priceUpdates(count: Int?) -> PacedEvents<PriceUpdateGenerator> {
        PacedEvents(generator: PriceUpdateGenerator(seed: seed), count: count, rate: rate)
    }
}
