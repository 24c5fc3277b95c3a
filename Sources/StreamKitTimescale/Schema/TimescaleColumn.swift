/// A column of a table that StreamKitTimescale writes: name, SQL type and nullability.
public struct TimescaleColumn: Sendable, Hashable {
    /// The column name; validated as an ``SQLIdentifier`` when the ``TimescaleTable`` is made.
    public var name: String
    /// The SQL type; COPY encodes values in this type's binary format.
    public var type: TimescaleColumnType
    /// Whether `NULL` is allowed (`NOT NULL` otherwise). Upsert-key and time columns are always `NOT NULL`.
    public var isNullable: Bool

    /// Creates a column description.
    ///
    ///     TimescaleColumn("bid", .doublePrecision, isNullable: false)
    public init(_ name: String, _ type: TimescaleColumnType, isNullable: Bool = true) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
    }
}
