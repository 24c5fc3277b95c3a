import ArgumentParser
import Foundation
import StreamKit

/// How a stage reads its input: where it starts and when it stops.
package struct ReplayOptions: ParsableArguments, Sendable {
    @Flag(
        name: .long,
        help: ArgumentHelp(
            "Read the input topics from the beginning with fresh state.",
            discussion: """
                Runs under a new application id (<app>-replay-<time>), so neither the group's committed offsets \
                nor the previous state changelogs are used.
                """))
    package var fromBeginning = false

    @Flag(
        name: .long,
        help: "Stop at the end of the input and close the windows still open (deterministic replay).")
    package var backtest = false

    @Option(name: .long, help: "Stop after this many seconds (default: run until interrupted).")
    package var duration: Double?

    package init() {}

    package mutating func validate() throws {
        if let duration, !(duration > 0) { throw ValidationError("--duration must be a positive number of seconds") }
    }

    /// The application id to run under: `base`, or a fresh replay id with `--from-beginning`.
    package func applicationName(_ base: String) -> String {
        fromBeginning ? "\(base)-replay-\(Int(Date().timeIntervalSince1970))" : base
    }

    /// `--duration` as a `Duration`.
    package var runDuration: Duration? { duration.map { .seconds($0) } }

    /// The run mode: a backtest that stops at the end of the input recorded when it started, or a service.
    package var runMode: RunMode {
        backtest ? .backtest : .continuous
    }

    /// Runs `app` with `runner` in the chosen mode, and stops it (with a final checkpoint) after `--duration` if
    /// given, or at SIGTERM/SIGINT.
    package func run(_ app: StreamApp, with runner: ExampleRunner) async throws {
        try await runner.run(app, mode: runMode, stoppingAfter: runDuration)
    }
}
