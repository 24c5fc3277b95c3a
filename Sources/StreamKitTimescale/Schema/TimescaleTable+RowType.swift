extension TimescaleTable {
    /// Describes a table whose columns are the stored properties of `rowType`, named in snake_case.
    ///
    /// Columns and types follow what ``TimescaleRowEncoder`` with `.convertToSnakeCase` writes: `String` →
    /// `text`, `Double` → `double precision`, `Int` → `bigint`, `Date` and `EventTime` → `timestamptz`,
    /// `UUID` → `uuid`, `Decimal` → `numeric`, nested `Codable` values → `jsonb`; optionals are nullable.
    /// To choose other types (`numeric(18,6)` for prices), list the columns with
    /// ``init(name:columns:upsertKey:timeColumn:chunkInterval:compression:retention:continuousAggregates:)``.
    ///
    ///     struct BarRow: Codable { var symbol: String; var windowStart: EventTime; var meanMid: Double }
    ///     let bars = try TimescaleTable(name: "bars_1s", rowType: BarRow.self,
    ///                                   upsertKey: ["symbol", "window_start"], timeColumn: "window_start")
    ///
    /// - Throws: A configuration error naming the setting: `rowType` when the type is not a struct of named
    ///   properties, and the errors of the column-list initializer (`table`, `upsertKey`, `timeColumn`…).
    public init<Row: Decodable>(
        name: String,
        rowType: Row.Type,
        upsertKey: [String],
        timeColumn: String? = nil,
        chunkInterval: Duration = .seconds(86_400),
        compression: Compression? = Compression(),
        retention: Duration? = .seconds(90 * 86_400),
        continuousAggregates: [TimescaleContinuousAggregate] = []
    ) throws(TimescaleError) {
        try self.init(
            name: name, columns: TimescaleColumnProbe.columns(of: rowType, setting: "rowType"), upsertKey: upsertKey,
            timeColumn: timeColumn, chunkInterval: chunkInterval, compression: compression, retention: retention,
            continuousAggregates: continuousAggregates)
    }
}
