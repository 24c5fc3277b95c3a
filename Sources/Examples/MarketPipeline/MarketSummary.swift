/// What one run of the processing stage did, for the closing lines of its output.
struct MarketSummary: Sendable {
    /// Records read from the raw topic, malformed ones included.
    var recordsRead: Int
    var validTicks: Int
    /// Dead-lettered records per stage (`deserialize`, `sequence`, `market-invariants`).
    var deadLettered: [String: Int]
    var gaps: Int
    var bars: Int
    var spikes: Int

    /// One line, e.g. `20100 records → 19900 valid ticks, 120 bars, 14 spikes, 20 gaps, 200 dead-lettered (…)`.
    var line: String {
        let total = deadLettered.values.reduce(0, +)
        let stages = deadLettered.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return "\(recordsRead) records → \(validTicks) valid ticks, \(bars) bars, \(spikes) spikes, \(gaps) gaps, "
            + "\(total) dead-lettered" + (stages.isEmpty ? "" : " (\(stages))")
    }
}
