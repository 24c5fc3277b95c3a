import StreamKit
import Synchronization

/// A sink that shows the values reaching it as a `LiveTable`, printed at each checkpoint that brought new rows:
/// an example's live output.
///
///     let table = LiveTableSink<Bar>(title: "1-second bars", columns: columns) { [$0.symbol, String($0.count)] }
///     bars.to(table)
///
/// Each print is one write of the title, the total so far and the latest `capacity` rows.
package final class LiveTableSink<Value: Sendable>: StreamSink {
    private let title: String
    private let row: @Sendable (Value) -> [String]
    private let state: Mutex<(table: LiveTable, count: Int, isFresh: Bool)>

    /// - Parameter row: One cell per column; runs on the hot path, so keep it to formatting.
    package init(
        title: String, columns: [LiveTable.Column], capacity: Int = 15, row: @escaping @Sendable (Value) -> [String]
    ) {
        self.title = title
        self.row = row
        state = Mutex((LiveTable(columns: columns, capacity: capacity), 0, false))
    }

    package func append(_ value: Value, context: SinkContext) throws {
        let cells = row(value)
        state.withLock { state in
            state.table.append(cells)
            state.count += 1
            state.isFresh = true
        }
    }

    package func flush(checkpoint: SinkCheckpoint) async throws {
        let text: String? = state.withLock { state in
            guard state.isFresh else { return nil }
            state.isFresh = false
            return "\n\(title) (\(state.count) so far, latest \(state.table.rows.count))\n\(state.table.render())"
        }
        if let text { print(text) }
    }

    /// How many values arrived so far.
    package var count: Int { state.withLock { $0.count } }
}
