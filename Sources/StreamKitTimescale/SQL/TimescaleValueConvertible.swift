import Foundation
import StreamKit

/// A Swift value that maps to one ``TimescaleValue``; interpolating one into an ``SQLQuery`` binds it.
public protocol TimescaleValueConvertible {
    /// The value as sent to PostgreSQL.
    var timescaleValue: TimescaleValue { get }
}

extension TimescaleValue: TimescaleValueConvertible {
    /// The value itself.
    public var timescaleValue: TimescaleValue { self }
}

extension Bool: TimescaleValueConvertible {
    /// `.bool`.
    public var timescaleValue: TimescaleValue { .bool(self) }
}

extension Int16: TimescaleValueConvertible {
    /// `.int16`.
    public var timescaleValue: TimescaleValue { .int16(self) }
}

extension Int32: TimescaleValueConvertible {
    /// `.int32`.
    public var timescaleValue: TimescaleValue { .int32(self) }
}

extension Int64: TimescaleValueConvertible {
    /// `.int64`.
    public var timescaleValue: TimescaleValue { .int64(self) }
}

extension Int: TimescaleValueConvertible {
    /// `.int64` (`bigint`).
    public var timescaleValue: TimescaleValue { .int64(Int64(self)) }
}

extension Float: TimescaleValueConvertible {
    /// `.float32`.
    public var timescaleValue: TimescaleValue { .float32(self) }
}

extension Double: TimescaleValueConvertible {
    /// `.float64`.
    public var timescaleValue: TimescaleValue { .float64(self) }
}

extension String: TimescaleValueConvertible {
    /// `.text`.
    public var timescaleValue: TimescaleValue { .text(self) }
}

extension Substring: TimescaleValueConvertible {
    /// `.text`.
    public var timescaleValue: TimescaleValue { .text(String(self)) }
}

extension Date: TimescaleValueConvertible {
    /// `.timestamptz`, rounded to the microsecond.
    public var timescaleValue: TimescaleValue { .timestamptz(TimescaleTimestamp(self)) }
}

extension UUID: TimescaleValueConvertible {
    /// `.uuid`.
    public var timescaleValue: TimescaleValue { .uuid(self) }
}

extension TimescaleNumeric: TimescaleValueConvertible {
    /// `.numeric`.
    public var timescaleValue: TimescaleValue { .numeric(self) }
}

extension TimescaleTimestamp: TimescaleValueConvertible {
    /// `.timestamptz`.
    public var timescaleValue: TimescaleValue { .timestamptz(self) }
}

extension EventTime: TimescaleValueConvertible {
    /// `.timestamptz`: window bounds and record times are stored as points in time.
    public var timescaleValue: TimescaleValue {
        .timestamptz(TimescaleTimestamp(millisecondsSinceUnixEpoch: milliseconds))
    }
}

extension Optional: TimescaleValueConvertible where Wrapped: TimescaleValueConvertible {
    /// The wrapped value's, or `.null`.
    public var timescaleValue: TimescaleValue { self?.timescaleValue ?? .null }
}
