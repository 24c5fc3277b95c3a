import ArgumentParser

/// The market pipeline: a simulated orderbook feed, a quality stage, 1-second bars and spike flags, on Kafka
/// and TimescaleDB, as one process (`all`) or one process per stage (`simulate`, `process`).
@main
struct MarketPipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "market-pipeline",
        abstract: "Simulate an orderbook feed and run StreamKit's market pipeline over it.",
        discussion: """
            'simulate' produces random-walk ticks per symbol to orderbook.raw (keyed by symbol, with a share of bad \
            ticks mixed in). 'process' validates them (bad ones go to orderbook.invalid with the reason), reports \
            sequence gaps on orderbook.gaps, computes 1-second bars per symbol on orderbook.bars.1s, flags spread \
            and price spikes with an EMA baseline on orderbook.spikes, and writes ticks and bars to TimescaleDB \
            when --timescale-url or TIMESCALE_URL is set. 'all' (the default) runs both in one process: with no \
            arguments, on an embedded in-process Kafka cluster, printing bars as they close.
            """,
        subcommands: [AllCommand.self, SimulateCommand.self, ProcessCommand.self],
        defaultSubcommand: AllCommand.self)
}
