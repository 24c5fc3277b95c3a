/// A fixed-width text table, for the examples' live output.
///
///     var table = LiveTable(columns: [.init("symbol", width: 10), .init("count", width: 7, alignment: .right)])
///     table.append(["TTF-GAS", "42"])
///     Console.line(table.render())
package struct LiveTable: Sendable {
    /// One column: its header, width in characters and alignment.
    package struct Column: Sendable {
        package enum Alignment: Sendable { case left, right }

        package var header: String
        package var width: Int
        package var alignment: Alignment

        package init(_ header: String, width: Int, alignment: Alignment = .left) {
            self.header = header
            self.width = max(width, header.count)
            self.alignment = alignment
        }
    }

    package let columns: [Column]
    package private(set) var rows: [[String]] = []
    /// The most rows kept; older ones scroll off.
    package let capacity: Int

    package init(columns: [Column], capacity: Int = 20) {
        precondition(!columns.isEmpty, "a table needs at least one column")
        self.columns = columns
        self.capacity = max(capacity, 1)
    }

    /// Adds a row (one cell per column), dropping the oldest beyond `capacity`.
    package mutating func append(_ cells: [String]) {
        precondition(cells.count == columns.count, "a row needs one cell per column")
        rows.append(cells)
        if rows.count > capacity { rows.removeFirst(rows.count - capacity) }
    }

    /// The header, a rule and the rows.
    package func render() -> String {
        var lines = [
            line(columns.map(\.header)), columns.map { String(repeating: "─", count: $0.width) }.joined(separator: " "),
        ]
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }

    private func line(_ cells: [String]) -> String {
        zip(columns, cells).map { column, cell in
            let gap = String(repeating: " ", count: max(column.width - cell.count, 0))
            return column.alignment == .left ? cell + gap : gap + cell
        }.joined(separator: " ")
    }

    /// `value` with `digits` decimals, for table cells.
    package static func fixed(_ value: Double, digits: Int = 4) -> String {
        guard value.isFinite else { return value.description }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value * scale).rounded() / scale
        var text = String(scaled)
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
        } else if digits > 0 {
            text += "." + String(repeating: "0", count: digits)
        }
        return text
    }
}
