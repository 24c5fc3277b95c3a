import ExampleSupport
import StreamKit

/// Renders bars as a fixed-width table.
enum BarTable {
    static func render(_ bars: some Sequence<WindowResult<String, Bar>>) -> String {
        var table = LiveTable(
            columns: [
                .init("symbol", width: 10), .init("window start", width: 14, alignment: .right),
                .init("ticks", width: 6, alignment: .right), .init("mean mid", width: 10, alignment: .right),
                .init("min bid", width: 10, alignment: .right), .init("max ask", width: 10, alignment: .right),
                .init("spread", width: 8, alignment: .right), .init("last seq", width: 8, alignment: .right),
            ], capacity: .max)
        for bar in bars {
            let b = bar.value
            table.append([
                bar.key, String(bar.start.milliseconds), String(b.count), LiveTable.fixed(b.meanMid),
                LiveTable.fixed(b.minBid), LiveTable.fixed(b.maxAsk), LiveTable.fixed(b.meanSpread),
                String(b.lastSequence),
            ])
        }
        return table.render()
    }
}
