/// The PostgreSQL type of a column that StreamKitTimescale can write.
///
/// Static constants over an internal enum, so adding a type does not break callers.
public struct TimescaleColumnType: Hashable, Sendable, CustomStringConvertible {
    enum Kind: String, Hashable, Sendable {
        case bool, int16, int32, int64, float32, float64, numeric, text, timestamptz, jsonb, uuid
    }
    let kind: Kind
    /// The type as written in `CREATE TABLE`, e.g. `"double precision"` or `"numeric(18,6)"`.
    public let sqlName: String

    init(_ kind: Kind, _ sqlName: String) {
        self.kind = kind
        self.sqlName = sqlName
    }

    /// `boolean`.
    public static let boolean = Self(.bool, "boolean")
    /// `smallint`.
    public static let smallint = Self(.int16, "smallint")
    /// `integer`.
    public static let integer = Self(.int32, "integer")
    /// `bigint`.
    public static let bigint = Self(.int64, "bigint")
    /// `real`.
    public static let real = Self(.float32, "real")
    /// `double precision`.
    public static let doublePrecision = Self(.float64, "double precision")
    /// `numeric` without a declared precision: exact decimals of any size.
    public static let numeric = Self(.numeric, "numeric")
    /// `text`.
    public static let text = Self(.text, "text")
    /// `timestamptz`.
    public static let timestamptz = Self(.timestamptz, "timestamptz")
    /// `jsonb`.
    public static let jsonb = Self(.jsonb, "jsonb")
    /// `uuid`.
    public static let uuid = Self(.uuid, "uuid")

    /// `numeric(precision, scale)`, e.g. `numeric(18, 6)` for prices; the server rounds to `scale`.
    public static func numeric(precision: Int, scale: Int) -> Self {
        precondition(
            precision > 0 && precision <= 1000 && scale >= 0 && scale <= precision, "numeric(\(precision), \(scale))")
        return Self(.numeric, "numeric(\(precision),\(scale))")
    }

    /// The SQL name.
    public var description: String { sqlName }
}
