import Foundation

/// One typed column value, as sent to PostgreSQL in its binary format (COPY and bind parameters).
///
/// The case decides the PostgreSQL type of a bind parameter (`.int64` is `int8`, `.text` is `text`).
/// Written into a described column (``TimescaleColumn``), a value is widened where that is exact
/// (`.int32` into `bigint`, `.float32` into `double precision`, an integer into `numeric`); anything
/// else throws a ``TimescaleError/Code-swift.struct/valueType`` error naming the column.
public enum TimescaleValue: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// `boolean`.
    case bool(Bool)
    /// `smallint` (`int2`).
    case int16(Int16)
    /// `integer` (`int4`).
    case int32(Int32)
    /// `bigint` (`int8`).
    case int64(Int64)
    /// `real` (`float4`), including ±infinity and NaN.
    case float32(Float)
    /// `double precision` (`float8`), including ±infinity and NaN.
    case float64(Double)
    /// `numeric`: exact decimals; the type to use for money.
    case numeric(TimescaleNumeric)
    /// `text`: any Unicode string (PostgreSQL rejects U+0000).
    case text(String)
    /// `timestamptz` with microsecond precision.
    case timestamptz(TimescaleTimestamp)
    /// `jsonb`, given as JSON text; the server validates it.
    case jsonb(String)
    /// `uuid`.
    case uuid(UUID)
}

/// A row of column values in the order of the writer's columns.
///
///     let row: TimescaleRow = [.text("TTF-GAS"), .float64(31.25), .timestamptz(.init(millisecondsSinceUnixEpoch: ms))]
public struct TimescaleRow: Sendable, Hashable, ExpressibleByArrayLiteral {
    /// The values, one per column.
    public var values: [TimescaleValue]

    /// Creates a row from values in column order.
    public init(_ values: [TimescaleValue]) { self.values = values }

    /// Creates a row from an array literal of values in column order.
    public init(arrayLiteral values: TimescaleValue...) { self.values = values }
}

/// A `timestamptz` value: microseconds since 1970-01-01 00:00 UTC.
public struct TimescaleTimestamp: Sendable, Hashable, Comparable {
    /// Microseconds since the Unix epoch (negative before 1970).
    public var microsecondsSinceUnixEpoch: Int64

    /// Creates a timestamp from microseconds since the Unix epoch.
    public init(microsecondsSinceUnixEpoch: Int64) { self.microsecondsSinceUnixEpoch = microsecondsSinceUnixEpoch }

    /// Creates a timestamp from milliseconds since the Unix epoch, the unit of Kafka timestamps and `tsEventMs`.
    public init(millisecondsSinceUnixEpoch: Int64) {
        self.microsecondsSinceUnixEpoch =
            millisecondsSinceUnixEpoch.multipliedReportingOverflow(by: 1_000).overflow
            ? (millisecondsSinceUnixEpoch < 0 ? .min : .max) : millisecondsSinceUnixEpoch * 1_000
    }

    /// Creates a timestamp from a `Date`, rounded to the nearest microsecond.
    public init(_ date: Date) {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        self.microsecondsSinceUnixEpoch = Int64(exactly: micros) ?? (micros < 0 ? .min : .max)
    }

    /// The timestamp as a `Date` (to Double precision).
    public var date: Date { Date(timeIntervalSince1970: Double(microsecondsSinceUnixEpoch) / 1_000_000) }

    /// Compares by time.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.microsecondsSinceUnixEpoch < rhs.microsecondsSinceUnixEpoch
    }
}
