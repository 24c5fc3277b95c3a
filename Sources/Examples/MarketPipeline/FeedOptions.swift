import ArgumentParser

/// The simulated feed's flags: symbols, pace or count, seed and bad-tick rate.
struct FeedOptions: ParsableArguments {
    @Option(
        name: .long, parsing: .upToNextOption,
        help: ArgumentHelp("Symbols to simulate (space- or comma-separated).", valueName: "symbol"))
    var symbols = ["TTF-GAS", "NBP-GAS", "EUA-CO2", "BRENT", "POWER-DE"]

    @Option(name: .long, help: "Milliseconds between two ticks of each symbol.")
    var intervalMs = 20

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Produce this many ticks as fast as possible, then stop.",
            discussion: """
                Their event times are spaced by --interval-ms and end at the current time. Without --count, ticks \
                are produced in real time every --interval-ms, stamped with the current time.
                """))
    var count: Int?

    @Option(name: .long, help: "Random seed; the same seed gives the same ticks.")
    var seed: UInt64 = 42

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Share of ticks that are bad, in [0, 1).",
            discussion: """
                A bad tick is malformed JSON, a crossed book, a negative volume, a duplicate sequence number or a \
                sequence gap, in equal parts.
                """))
    var badTickRate = 0.01

    @Option(name: .long, help: "Partitions of orderbook.raw when it is created.")
    var partitions = 3

    mutating func validate() throws {
        symbols = symbols.flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
        guard !symbols.isEmpty else { throw ValidationError("--symbols needs at least one symbol") }
        guard Set(symbols).count == symbols.count else { throw ValidationError("--symbols lists a symbol twice") }
        if let count, count <= 0 { throw ValidationError("--count must be positive") }
        guard intervalMs > 0 else { throw ValidationError("--interval-ms must be positive") }
        guard (0..<1).contains(badTickRate) else { throw ValidationError("--bad-tick-rate must be in [0, 1)") }
        guard (1...1_000).contains(partitions) else { throw ValidationError("--partitions must be in 1...1000") }
    }
}
