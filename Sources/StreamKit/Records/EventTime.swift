import Foundation

/// A point in event time: milliseconds since the Unix epoch, as Kafka record timestamps are.
///
/// Event time comes from the records themselves (a field or the broker timestamp), never from the
/// machine's clock, so a replay of the same input gives the same windows.
///
///     let t = EventTime(milliseconds: 1_763_800_000_123)
///     t + .seconds(1)          // 1_763_800_001_123
public struct EventTime: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var milliseconds: Int64

    /// Makes an event time from milliseconds since the Unix epoch.
    @inlinable
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// The machine's current time. For stamping StreamKit's own records (changelogs, metadata), never
    /// for event time, which comes from the records.
    public static var now: EventTime {
        EventTime(milliseconds: Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down)))
    }

    @inlinable
    public static func < (lhs: EventTime, rhs: EventTime) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// The time `duration` later, saturating instead of overflowing.
    @inlinable
    public static func + (lhs: EventTime, rhs: Duration) -> EventTime {
        let (sum, overflow) = lhs.milliseconds.addingReportingOverflow(rhs.wholeMilliseconds)
        return EventTime(milliseconds: overflow ? (rhs < .zero ? .min : .max) : sum)
    }

    /// The time `duration` earlier, saturating instead of overflowing.
    @inlinable
    public static func - (lhs: EventTime, rhs: Duration) -> EventTime { lhs + (.zero - rhs) }

    @inlinable
    public var description: String { "\(milliseconds)ms" }

    @inlinable
    public init(from decoder: any Decoder) throws {
        milliseconds = try decoder.singleValueContainer().decode(Int64.self)
    }

    @inlinable
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(milliseconds)
    }
}

extension EventTime {
    /// Makes an event time from a `Duration` after the epoch (convenient in tests: `.at(.milliseconds(900))`).
    @inlinable
    public static func at(_ offset: Duration) -> EventTime { EventTime(milliseconds: offset.wholeMilliseconds) }
}

extension Duration {
    /// This duration in whole milliseconds, rounded toward zero.
    @usableFromInline
    package var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
