import Foundation

/// The markdown of `BENCHMARKS.md`: header, targets, then one table per section with the columns it uses.
struct BenchmarksDocument {
    let figures: [BenchResult]
    let command: String
    let swiftVersion: String
    let loadAverage: String
    let notes: [String]
    let failed: [String]

    var markdown: String {
        var lines = header
        lines += targets
        for section in BenchSection.allCases {
            let rows = figures.filter { $0.section == section }
            if !rows.isEmpty { lines += table(section, rows) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Header

    private var header: [String] {
        var lines = [
            "# StreamKit benchmarks",
            "",
            "Written by `streamkit-bench report` at the end of `\(command)`; run the same command to measure again.",
            "",
            "| | |",
            "|---|---|",
            "| date | \(Date().formatted(.iso8601)) |",
            "| machine | \(Machine.cores) cores, \(Machine.cpuModel), \(gibibytes(Machine.memoryBytes)) RAM |",
            "| Swift | \(swiftVersion) |",
            "| command | `\(command)` |",
            "| load average at start (1, 5, 15 min) | \(loadAverage) |",
            "| load average at the end | \(Machine.loadAverage) |",
        ]
        lines += notes.map { "| note | \($0) |" }
        if !failed.isEmpty { lines.append("| failed (no figures) | \(failed.joined(separator: ", ")) |") }
        return lines + [""]
    }

    // MARK: - Targets

    private var targets: [String] {
        let rows = figures.filter { $0.target != nil }
        guard !rows.isEmpty else { return [] }
        var lines = [
            "## Targets (DESIGN.md section 6)", "", "| figure | target | measured | met |", "|---|---|---|---|",
        ]
        for row in rows {
            let measured = [
                row.recordsPerSecond.map { "\(Self.grouped($0)) \(row.section.unit)/s" },
                row.p99Milliseconds.map { "p99 \(Self.milliseconds($0))" },
                row.note,
            ].compactMap { $0 }.joined(separator: "; ")
            let met = row.isTargetMet.map { $0 ? "yes" : "**no**" } ?? ""
            lines.append("| \(row.section.title): \(row.figure) | \(row.target!) | \(measured) | \(met) |")
        }
        return lines + [""]
    }

    // MARK: - Tables

    private struct Column {
        let title: String
        var isText = false
        let value: @Sendable (BenchResult) -> String?
    }

    private static let columns = [
        Column(title: "records/s") { $0.recordsPerSecond.map(grouped) },
        Column(title: "CPU ns/record") { $0.cpuNanosecondsPerRecord.map { grouped($0) } },
        Column(title: "p50") { $0.p50Milliseconds.map(milliseconds) },
        Column(title: "p99") { $0.p99Milliseconds.map(milliseconds) },
        Column(title: "peak memory") { $0.peakMemoryBytes.map(mebibytes) },
        Column(title: "note", isText: true) { $0.note },
    ]

    private func table(_ section: BenchSection, _ rows: [BenchResult]) -> [String] {
        let used = Self.columns.filter { column in rows.contains { column.value($0) != nil } }
        var lines = [
            "## \(section.title)", "", section.summary, "",
            "| figure | "
                + used.map { $0.title.replacingOccurrences(of: "records", with: section.unit) }
                .joined(separator: " | ") + " |",
            "|---|" + used.map { $0.isText ? "---|" : "---:|" }.joined(),
        ]
        for row in rows {
            let cells = used.map { $0.value(row) ?? "" }
            lines.append("| \(row.figure) | " + cells.joined(separator: " | ") + " |")
        }
        return lines + [""]
    }

    // MARK: - Formatting

    private static func grouped(_ value: Double) -> String { Format.grouped(Int(value.rounded())) }

    private static func milliseconds(_ value: Double) -> String { String(format: "%.2f ms", value) }

    private static func mebibytes(_ bytes: Int) -> String { Format.bytes(bytes) }

    private func gibibytes(_ bytes: Int) -> String { String(format: "%.1f GiB", Double(bytes) / 1_073_741_824) }
}
