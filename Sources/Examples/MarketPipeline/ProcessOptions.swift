import ArgumentParser
import StreamKit

/// The processing stage's own flags: delivery guarantee, how many bars to print.
struct ProcessOptions: ParsableArguments {
    /// `--guarantee`, as typed on the command line.
    enum Guarantee: String, ExpressibleByArgument, CaseIterable {
        case atLeastOnce = "at-least-once"
        case exactlyOnce = "exactly-once"

        var processingGuarantee: ProcessingGuarantee { self == .exactlyOnce ? .exactlyOnce : .atLeastOnce }
    }

    @Option(
        name: .long,
        help: ArgumentHelp(
            "at-least-once, or exactly-once.",
            discussion: """
                exactly-once writes outputs, changelogs and offsets in one Kafka transaction (read them with \
                isolation.level=read_committed) and stores the consumed offsets in streamkit_offsets with each \
                batch of ticks in the database.
                """,
            valueName: "at-least-once|exactly-once"))
    var guarantee: Guarantee = .atLeastOnce

    @Option(name: .long, help: "Bars to print at the end of a backtest or a --count run (the latest ones).")
    var show = 15

    mutating func validate() throws {
        guard show >= 0 else { throw ValidationError("--show must not be negative") }
    }
}
