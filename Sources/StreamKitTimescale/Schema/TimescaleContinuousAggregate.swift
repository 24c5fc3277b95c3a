/// A continuous aggregate (TimescaleDB materialized view) and its refresh policy.
///
///     TimescaleContinuousAggregate(
///         name: "order_stats_hourly",
///         query: """
///             SELECT time_bucket('1 hour', ts) AS bucket, product_id, sum(revenue) AS revenue
///             FROM order_aggregates GROUP BY 1, 2
///             """,
///         refreshStartOffset: .seconds(3 * 3_600), refreshEndOffset: .seconds(3_600),
///         refreshInterval: .seconds(3_600))
public struct TimescaleContinuousAggregate: Sendable, Hashable {
    /// The view name, optionally schema-qualified.
    public var name: String
    /// The view's `SELECT`, with `time_bucket` on the hypertable's time column. It is DDL, so it may not
    /// carry bind parameters. Its names resolve through the connection's `search_path`: qualify `time_bucket`
    /// (`public.time_bucket`) when the extension's schema is not on it.
    public var query: SQLQuery
    /// The refresh window starts this long before now (`start_offset`); `nil` refreshes from the beginning.
    public var refreshStartOffset: Duration?
    /// The refresh window ends this long before now (`end_offset`), leaving the open bucket alone.
    public var refreshEndOffset: Duration?
    /// How often the policy runs (`schedule_interval`).
    public var refreshInterval: Duration

    /// Creates a continuous aggregate description; it is validated when the schema is applied.
    public init(
        name: String, query: SQLQuery, refreshStartOffset: Duration? = .seconds(3 * 86_400),
        refreshEndOffset: Duration? = .seconds(3_600), refreshInterval: Duration = .seconds(3_600)
    ) {
        self.name = name
        self.query = query
        self.refreshStartOffset = refreshStartOffset
        self.refreshEndOffset = refreshEndOffset
        self.refreshInterval = refreshInterval
    }
}
