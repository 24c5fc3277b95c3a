import Foundation

/// One measured figure: a row of a table in `BENCHMARKS.md`.
///
/// Every subcommand prints its figures for people and, with `--results FILE`, appends them to `FILE` as JSON
/// lines, one result a line; `streamkit-bench report` turns such a file into `BENCHMARKS.md`. A table is a
/// `BenchSection`; its rows keep the order in which they were written.
struct BenchResult: Codable, Sendable {
    /// The table the figure belongs to.
    var section: BenchSection
    /// What was measured, e.g. "StreamKit market pipeline (5 keys)".
    var figure: String
    var recordsPerSecond: Double?
    /// Process CPU time (all threads) per record: unlike a rate, it hardly depends on how busy the machine is.
    var cpuNanosecondsPerRecord: Double?
    var p50Milliseconds: Double?
    var p99Milliseconds: Double?
    /// Peak resident memory of the process during this figure's run.
    var peakMemoryBytes: Int?
    /// The target from DESIGN.md section 6, when there is one, e.g. "≥ 300 k records/s".
    var target: String?
    /// Whether the figure met `target`.
    var isTargetMet: Bool?
    /// Anything else a reader needs: sizes, ratios, caveats.
    var note: String?

    init(
        section: BenchSection, figure: String, recordsPerSecond: Double? = nil, cpuNanosecondsPerRecord: Double? = nil,
        p50Milliseconds: Double? = nil, p99Milliseconds: Double? = nil, peakMemoryBytes: Int? = nil,
        target: String? = nil, isTargetMet: Bool? = nil, note: String? = nil
    ) {
        self.section = section
        self.figure = figure
        self.recordsPerSecond = recordsPerSecond
        self.cpuNanosecondsPerRecord = cpuNanosecondsPerRecord
        self.p50Milliseconds = p50Milliseconds
        self.p99Milliseconds = p99Milliseconds
        self.peakMemoryBytes = peakMemoryBytes
        self.target = target
        self.isTargetMet = isTargetMet
        self.note = note
    }

    /// CPU nanoseconds per record from a CPU time and a record count.
    static func cpuNanoseconds(_ cpu: Duration, per count: Int) -> Double {
        cpu / .nanoseconds(1) / Double(max(count, 1))
    }
}
