import ExampleSupport

/// Bars and spikes as fixed-width text: a header once, then a row per bar as bars close.
enum BarTable {
    private static let columns: [LiveTable.Column] = [
        .init("symbol", width: 10), .init("window (UTC)", width: 12), .init("ticks", width: 6, alignment: .right),
        .init("mean mid", width: 10, alignment: .right), .init("min bid", width: 10, alignment: .right),
        .init("max ask", width: 10, alignment: .right), .init("spread", width: 8, alignment: .right),
        .init("last seq", width: 9, alignment: .right),
    ]

    /// The header and its rule.
    static var header: String { LiveTable(columns: columns).render() }

    /// One bar as a row under `header`.
    static func row(_ bar: Bar) -> String {
        var table = LiveTable(columns: columns, capacity: 1)
        table.append([
            bar.symbol, clockTime(bar.windowStart.milliseconds), String(bar.count), LiveTable.fixed(bar.meanMid),
            LiveTable.fixed(bar.minBid), LiveTable.fixed(bar.maxAsk), LiveTable.fixed(bar.spread),
            String(bar.lastSequence),
        ])
        return String(table.render().split(separator: "\n").last ?? "")
    }

    /// A spike as a line between the rows.
    static func line(_ spike: SpikeFlag) -> String {
        "  ⚡ \(spike.symbol) \(spike.kind.rawValue) spike: \(LiveTable.fixed(spike.observed)) is "
            + "\(LiveTable.fixed(spike.ratio, digits: 1))× its EMA \(LiveTable.fixed(spike.baseline)) "
            + "(\(spike.severity.rawValue), seq \(spike.sequence))"
    }

    /// `hh:mm:ss.SSS` of a time in milliseconds since the epoch, in UTC.
    static func clockTime(_ milliseconds: Int64) -> String {
        let ms = ((milliseconds % 86_400_000) + 86_400_000) % 86_400_000
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = ms % 1_000
        let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(two(ms / 3_600_000)):\(two(ms / 60_000 % 60)):\(two(ms / 1_000 % 60)).\(fraction)"
    }
}
