import ArgumentParser

/// `event-bus bank-producer`: simulated bank transactions to `bank.transactions`.
struct BankProducerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bank-producer",
        abstract: "Produce simulated bank transactions to 'bank.transactions' (keyed by account, 3 partitions).")

    @OptionGroup var options: ProducerOptions

    func run() async throws {
        try await options.run(.bank, app: "event-bus-bank-producer")
    }
}
