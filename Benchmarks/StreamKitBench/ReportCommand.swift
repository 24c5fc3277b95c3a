import ArgumentParser
import Foundation

/// `streamkit-bench report`: turns the JSON-lines results of a run into `BENCHMARKS.md`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write BENCHMARKS.md from the figures the other subcommands appended to a --results file.",
        discussion: """
            One table per benchmark (in-memory DSL, Kafka end to end, latency, scaling, TimescaleDB, serdes), \
            a table of the DESIGN.md targets against the measured figures, and a header with the machine \
            (cores, CPU model, RAM), the Swift version, the date, the load average and the command. \
            scripts/bench runs every benchmark and then this.
            """)

    @Option(name: .long, help: ArgumentHelp("The JSON-lines file the benchmarks wrote.", valueName: "file"))
    var results: String

    @Option(name: .long, help: ArgumentHelp("The markdown file to write.", valueName: "file"))
    var output = "BENCHMARKS.md"

    @Option(name: .long, help: "The command that produced the figures, quoted in the header.")
    var command = "scripts/bench"

    @Option(name: .long, help: "The Swift compiler's version line.")
    var swiftVersion = "unknown"

    @Option(name: .long, help: "The load average when the run started (default: now).")
    var loadAverage: String?

    @Option(name: .long, help: "A line for the header's notes (repeatable).")
    var note: [String] = []

    @Option(name: .long, help: "A benchmark that failed, listed in the header (repeatable).")
    var failed: [String] = []

    func run() throws {
        let text = try String(contentsOfFile: results, encoding: .utf8)
        let decoder = JSONDecoder()
        let figures = try text.split(separator: "\n").enumerated().map { index, line in
            do {
                return try decoder.decode(BenchResult.self, from: Data(line.utf8))
            } catch {
                throw BenchError("\(results), line \(index + 1): not a benchmark result (\(error))")
            }
        }
        let markdown = BenchmarksDocument(
            figures: figures, command: command, swiftVersion: swiftVersion,
            loadAverage: loadAverage ?? Machine.loadAverage, notes: note, failed: failed
        ).markdown
        try markdown.write(toFile: output, atomically: true, encoding: .utf8)
        FileHandle.standardError.write(Data("report: wrote \(output) (\(figures.count) figures)\n".utf8))
    }
}
