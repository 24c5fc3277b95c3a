import ArgumentParser

/// `event-bus price-producer`: simulated market prices to `market.price.updates`.
struct PriceProducerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "price-producer",
        abstract: "Produce simulated price updates to 'market.price.updates' (keyed by symbol, 3 partitions).")

    @OptionGroup var options: ProducerOptions

    func run() async throws {
        try await options.run(.price, app: "event-bus-price-producer")
    }
}
