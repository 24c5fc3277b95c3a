/// A TimescaleDB feature that schema management sets up when the extension is available.
public struct TimescaleFeature: Sendable, Hashable, CustomStringConvertible {
    /// A readable name, e.g. `"compression policy"` or `"continuous aggregate \"order_stats_hourly\""`.
    public let name: String

    /// `create_hypertable` on the time column.
    public static let hypertable = TimescaleFeature(name: "hypertable")
    /// Native compression settings (`timescaledb.compress`, segment-by, order-by).
    public static let compression = TimescaleFeature(name: "compression")
    /// `add_compression_policy`.
    public static let compressionPolicy = TimescaleFeature(name: "compression policy")
    /// `add_retention_policy`.
    public static let retentionPolicy = TimescaleFeature(name: "retention policy")
    /// A continuous aggregate and its refresh policy.
    public static func continuousAggregate(_ name: String) -> TimescaleFeature {
        TimescaleFeature(name: "continuous aggregate \"\(name)\"")
    }

    /// The name.
    public var description: String { name }
}

/// What ``TimescaleConnection/ensureSchema(for:)`` set up and what it had to skip.
public struct TimescaleSchemaReport: Sendable, Hashable {
    /// Whether the `timescaledb` extension is installed in the database (or could be created).
    public var isTimescaleAvailable: Bool
    /// The features the table description asked for that plain PostgreSQL cannot provide; empty on TimescaleDB.
    public var skippedFeatures: [TimescaleFeature]
}
