/// The rows a statement returned, in PostgreSQL's text format, plus the affected-row count.
///
/// Values are the server's own text (`'t'`/`'f'` for booleans, ISO 8601 timestamps in the session's
/// time zone); cast in SQL (`ts::text`, `extract(epoch from ts)`) to choose the form you read.
public struct TimescaleQueryResult: Sendable, Hashable, RandomAccessCollection {
    /// One returned row.
    public struct Row: Sendable, Hashable {
        /// The column names of the result.
        public let columns: [String]
        /// The values in column order; `nil` is SQL `NULL`.
        public let values: [String?]

        /// The value in column `index`; `nil` is SQL `NULL`.
        public subscript(index: Int) -> String? { values[index] }

        /// The value in the first column named `column`; `nil` for SQL `NULL` or no such column.
        public subscript(column: String) -> String? {
            columns.firstIndex(of: column).flatMap { values[$0] }
        }
    }

    /// The column names, in order.
    public let columns: [String]
    /// The rows.
    public let rows: [Row]
    /// The rows a command affected (`INSERT`, `UPDATE`, `DELETE`, `COPY`), or the rows a `SELECT` returned.
    public let affectedRowCount: Int

    init(columns: [String], values: [[String?]], affectedRowCount: Int) {
        self.columns = columns
        self.rows = values.map { Row(columns: columns, values: $0) }
        self.affectedRowCount = affectedRowCount
    }

    /// The index of the first row.
    public var startIndex: Int { rows.startIndex }
    /// The index after the last row.
    public var endIndex: Int { rows.endIndex }
    /// The row at `position`.
    public subscript(position: Int) -> Row { rows[position] }
}
