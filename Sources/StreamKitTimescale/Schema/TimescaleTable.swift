/// The description of a table that StreamKitTimescale creates and writes: columns, upsert key, time
/// column, and the TimescaleDB features to set up for it.
///
/// Every name is validated when the description is made; a bad one throws a configuration error that
/// names the setting. Defaults follow TimescaleDB practice for stream output: 1-day chunks, compression
/// after 7 days, retention of 90 days.
///
///     let bars = try TimescaleTable(
///         name: "bars_1s",
///         columns: [.init("symbol", .text), .init("window_start", .timestamptz), .init("mean_mid", .doublePrecision)],
///         upsertKey: ["symbol", "window_start"],
///         timeColumn: "window_start",
///         compression: .init(segmentBy: ["symbol"], orderBy: [.descending("window_start")]))
public struct TimescaleTable: Sendable {
    /// Compression settings and the compression policy of a hypertable.
    public struct Compression: Sendable, Hashable {
        /// A column of `compress_orderby` and its direction.
        public struct Order: Sendable, Hashable {
            /// The column name.
            public var column: String
            /// Whether the order is descending.
            public var isDescending: Bool

            /// Ascending order by `column`.
            public static func ascending(_ column: String) -> Order { Order(column: column, isDescending: false) }
            /// Descending order by `column`.
            public static func descending(_ column: String) -> Order { Order(column: column, isDescending: true) }
        }

        /// `timescaledb.compress_segmentby`: columns whose equal values are compressed together (e.g. the symbol).
        public var segmentBy: [String]
        /// `timescaledb.compress_orderby`; empty means the time column descending. Upsert-key columns that are in
        /// neither `segmentBy` nor `orderBy` are appended ascending, so upserts into compressed chunks find their
        /// conflicts from the batches' min/max metadata (TimescaleDB warns about such columns otherwise).
        public var orderBy: [Order]
        /// Chunks older than this are compressed by the policy.
        public var compressAfter: Duration

        /// Creates compression settings; the policy compresses chunks older than `compressAfter` (7 days by default).
        public init(segmentBy: [String] = [], orderBy: [Order] = [], compressAfter: Duration = .seconds(7 * 86_400)) {
            self.segmentBy = segmentBy
            self.orderBy = orderBy
            self.compressAfter = compressAfter
        }
    }

    /// The table name, optionally schema-qualified.
    public let name: SQLTableName
    /// The columns in COPY order: the values of each ``TimescaleRow`` follow this order.
    public let columns: [TimescaleColumn]
    /// The primary key and `ON CONFLICT` target; empty means append-only (not idempotent on replay).
    public let upsertKey: [String]
    /// The hypertable's time column, or `nil` for a plain table.
    public let timeColumn: String?
    /// The hypertable chunk interval.
    public var chunkInterval: Duration
    /// Compression, or `nil` for none.
    public var compression: Compression?
    /// Chunks older than this are dropped by the retention policy; `nil` keeps data forever.
    public var retention: Duration?
    /// Continuous aggregates over this table.
    public var continuousAggregates: [TimescaleContinuousAggregate]

    let columnIdentifiers: [SQLIdentifier]
    /// Per column: whether it is `NOT NULL` (declared so, or part of the upsert key or the time column).
    let isNotNull: [Bool]
    let upsertKeyIdentifiers: [SQLIdentifier]
    let timeColumnIdentifier: SQLIdentifier?
    let segmentByIdentifiers: [SQLIdentifier]
    let orderByIdentifiers: [(SQLIdentifier, Bool)]

    /// Validates the description; throws a ``TimescaleError/Code-swift.struct/configuration`` error naming the
    /// setting for an invalid name, a key or time column that is not among `columns`, or a time column that is
    /// not in a non-empty upsert key (TimescaleDB requires unique keys to include it).
    public init(
        name: String,
        columns: [TimescaleColumn],
        upsertKey: [String],
        timeColumn: String? = nil,
        chunkInterval: Duration = .seconds(86_400),
        compression: Compression? = Compression(),
        retention: Duration? = .seconds(90 * 86_400),
        continuousAggregates: [TimescaleContinuousAggregate] = []
    ) throws(TimescaleError) {
        self.name = try SQLTableName(name, setting: "table")
        guard !columns.isEmpty else { throw .configuration("columns", "a table needs at least one column") }
        var identifiers: [SQLIdentifier] = []
        for (index, column) in columns.enumerated() {
            identifiers.append(try SQLIdentifier(column.name, setting: "columns[\(index)]"))
        }
        guard Set(columns.map(\.name)).count == columns.count else {
            throw .configuration("columns", "column names must be unique")
        }
        func known(_ names: [String], _ setting: String) throws(TimescaleError) -> [SQLIdentifier] {
            var result: [SQLIdentifier] = []
            for name in names {
                guard let index = columns.firstIndex(where: { $0.name == name }) else {
                    throw .configuration(setting, "\"\(name)\" is not one of the table's columns")
                }
                result.append(identifiers[index])
            }
            return result
        }
        self.columns = columns
        self.upsertKey = upsertKey
        self.timeColumn = timeColumn
        self.chunkInterval = chunkInterval
        self.compression = compression
        self.retention = retention
        self.continuousAggregates = continuousAggregates
        columnIdentifiers = identifiers
        let keyNames = Set(upsertKey + (timeColumn.map { [$0] } ?? []))
        isNotNull = columns.map { !$0.isNullable || keyNames.contains($0.name) }
        upsertKeyIdentifiers = try known(upsertKey, "upsertKey")
        timeColumnIdentifier = try timeColumn.map { name throws(TimescaleError) in try known([name], "timeColumn")[0] }
        if let timeColumn, !upsertKey.isEmpty, !upsertKey.contains(timeColumn) {
            throw .configuration(
                "upsertKey", "add the time column \"\(timeColumn)\": TimescaleDB unique keys must include it")
        }
        segmentByIdentifiers = try known(compression?.segmentBy ?? [], "compression.segmentBy")
        let orderIdentifiers = try known(compression?.orderBy.map(\.column) ?? [], "compression.orderBy")
        orderByIdentifiers = Array(zip(orderIdentifiers, compression?.orderBy.map(\.isDescending) ?? []))
    }
}
