import ExampleSupport
import StreamKit

/// Runs the processing stage and prints it: bars as they close (live) or the latest ones at the end, and spikes
/// as they are flagged.
struct ProcessingRun {
    let pipeline: MarketPipeline
    /// Stream rows as bars close; otherwise print the last `show` bars at the end.
    let isLive: Bool
    let show: Int

    /// Calls `body` with the app (which runs it) while a printer shows the results.
    func run(_ body: (StreamApp) async throws -> Void) async throws {
        let (bars, spikes) = (pipeline.bars, pipeline.spikes)
        let isLive = isLive
        if isLive { Console.line(BarTable.header) }
        let printer = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                if isLive { Self.printFresh(bars: bars, spikes: spikes) }
            }
        }
        defer { printer.cancel() }
        try await body(pipeline.app)
        printer.cancel()
        _ = await printer.result
        if isLive {
            Self.printFresh(bars: bars, spikes: spikes)
        } else {
            let latest = bars.takeFresh().suffix(show)
                .sorted { ($0.windowStart, $0.symbol) < ($1.windowStart, $1.symbol) }.map(BarTable.row)
            let flagged = spikes.takeFresh().suffix(5).map(BarTable.line)
            Console.line(([BarTable.header] + latest + flagged).joined(separator: "\n"))
        }
    }

    private static func printFresh(bars: LiveFeed<Bar>, spikes: LiveFeed<SpikeFlag>) {
        let lines = bars.takeFresh().map(BarTable.row) + spikes.takeFresh().map(BarTable.line)
        if !lines.isEmpty { Console.line(lines.joined(separator: "\n")) }
    }
}
