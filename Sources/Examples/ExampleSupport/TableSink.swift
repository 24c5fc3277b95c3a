import Foundation
import StreamKit
import Synchronization

/// A sink that shows values as rows of a ``LiveTable`` on standard output, a batch at each checkpoint (about once
/// a second): the examples' live view of their results.
///
/// On a terminal an untitled table redraws the screen with the latest `show` rows and the `footer`; otherwise
/// (a pipe, a file) each batch's rows are appended below one header, so the output can be read as a log. A
/// titled table never clears the screen, so that several can share one output: each batch comes under its title
/// and header.
///
///     let table = TableSink<Recommendation>(columns: [.init("subject", width: 8), .init("action", width: 22)],
///                                           show: 20) { [$0.subject, $0.action.rawValue] }
///     frame.to(table)
package final class TableSink<Value: Sendable>: StreamSink {
    private struct State {
        var pending: [Value] = []
        var latest: LiveTable
        var count = 0
        var hasPrintedHeader = false
    }

    private let title: String?
    private let columns: [LiveTable.Column]
    private let cells: @Sendable (Value) -> [String]
    private let footer: @Sendable () -> String
    private let state: Mutex<State>
    private let redrawsScreen: Bool

    /// Makes a table with `columns`; `cells` gives a value's row (one cell per column), and `footer` the line
    /// shown under the table on a terminal, which keeps the latest `show` rows. With a `title`, each batch is
    /// printed under it.
    package init(
        title: String? = nil, columns: [LiveTable.Column], show: Int = 20,
        footer: @escaping @Sendable () -> String = { "" }, cells: @escaping @Sendable (Value) -> [String]
    ) {
        self.title = title
        redrawsScreen = title == nil && isatty(STDOUT_FILENO) == 1
        self.columns = columns
        self.cells = cells
        self.footer = footer
        state = Mutex(State(latest: LiveTable(columns: columns, capacity: show)))
    }

    /// Buffers the value's row.
    package func append(_ value: Value, context: SinkContext) throws {
        state.withLock { state in
            state.pending.append(value)
            state.count += 1
        }
    }

    /// Shows the rows buffered since the last flush.
    package func flush(checkpoint: SinkCheckpoint) async throws {
        let text: String? = state.withLock { state in
            guard !state.pending.isEmpty else { return nil }
            var batch = LiveTable(columns: columns, capacity: .max)
            for value in state.pending {
                let row = cells(value)
                batch.append(row)
                state.latest.append(row)
            }
            defer { state.pending.removeAll() }
            if redrawsScreen { return "\u{1B}[H\u{1B}[2J" + state.latest.render() + "\n\n" + footer() }
            if let title { return "\n\(title) (\(state.pending.count) new, \(state.count) so far)\n" + batch.render() }
            let lines = batch.render().split(separator: "\n", omittingEmptySubsequences: false)
            defer { state.hasPrintedHeader = true }
            return (state.hasPrintedHeader ? lines.dropFirst(2) : lines[...]).joined(separator: "\n")
        }
        if let text { Console.line(text) }
    }

    /// How many values reached the table so far.
    package var count: Int { state.withLock { $0.count } }

    /// `hh:mm:ss` (UTC) of a time in milliseconds since the Unix epoch, for a table's time column.
    package static func timeOfDay(milliseconds: Int64) -> String {
        let second = (milliseconds / 1_000) % 86_400
        return [second / 3_600, second / 60 % 60, second % 60].map { $0 < 10 ? "0\($0)" : "\($0)" }
            .joined(separator: ":")
    }
}
