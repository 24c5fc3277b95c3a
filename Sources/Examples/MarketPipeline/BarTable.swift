import StreamKit

/// Renders bars as a fixed-width table.
enum BarTable {
    static func render(_ bars: some Sequence<WindowResult<String, Bar>>) -> String {
        var lines = [
            pad("symbol", 10) + pad("window start", 15) + pad("ticks", 7) + pad("mean mid", 11) + pad("min bid", 11)
                + pad("max ask", 11) + pad("spread", 9) + "last seq"
        ]
        for bar in bars {
            let b = bar.value
            lines.append(
                pad(bar.key, 10) + pad(String(bar.start.milliseconds), 15) + pad(String(b.count), 7)
                    + pad(fixed(b.meanMid), 11) + pad(fixed(b.minBid), 11) + pad(fixed(b.maxAsk), 11)
                    + pad(fixed(b.meanSpread), 9) + String(b.lastSequence))
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private static func fixed(_ value: Double) -> String {
        let scaled = (value * 10_000).rounded() / 10_000
        return String(scaled)
    }
}
