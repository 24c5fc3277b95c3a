/// How records are grouped into time windows: size, step (hopping), grace and idle timeout.
public struct WindowSpec: Hashable, Sendable, CustomStringConvertible {
    /// The window length.
    public var size: Duration
    /// The distance between window starts: equal to `size` for tumbling windows, smaller for hopping.
    public var step: Duration
    /// How long after its end a window still accepts records (in event time).
    public var grace: Duration
    /// Close every open window of a partition after this much wall-clock time without a record on it,
    /// so a quiet key still gets its final result. `nil`: windows close by event time only.
    public var idleTimeout: Duration?

    /// Describes windows; see `tumblingWindow` and `hoppingWindow` for the meaning of each part.
    @inlinable
    public init(size: Duration, step: Duration, grace: Duration, idleTimeout: Duration?) {
        self.size = size
        self.step = step
        self.grace = grace
        self.idleTimeout = idleTimeout
    }

    @usableFromInline
    var kind: String { size == step ? "tumbling-window" : "hopping-window" }

    @inlinable
    public var description: String {
        var text = size == step ? "tumbling \(size)" : "hopping \(size) every \(step)"
        if grace > .zero { text += ", grace \(grace)" }
        if let idleTimeout { text += ", idle close \(idleTimeout)" }
        return text
    }
}

/// A window spec in milliseconds, computed once per operator so the hot path does plain integer math.
@usableFromInline
struct WindowBounds {
    @usableFromInline let size: Int64
    @usableFromInline let step: Int64
    @usableFromInline let grace: Int64

    @inlinable
    init(_ spec: WindowSpec) {
        size = spec.size.wholeMilliseconds
        step = spec.step.wholeMilliseconds
        grace = spec.grace.wholeMilliseconds
    }

    /// Calls `body` with the start (ms) of every window that contains `t`, earliest first.
    @inlinable @inline(__always)
    func forEachStart(containing t: Int64, _ body: (Int64) throws -> Void) rethrows {
        if step == size { return try body(floorDivide(t, size) &* size) }
        let last = floorDivide(t, step) &* step
        var start = floorDivide(t &- size, step) &* step &+ step
        while start <= last {
            try body(start)
            start &+= step
        }
    }

    /// Whether the window starting at `start` has closed at `watermark`.
    @inlinable @inline(__always)
    func isClosed(start: Int64, at watermark: Int64) -> Bool { start &+ size &+ grace <= watermark }
}

/// Floor division (rounds toward −∞, unlike `/`), so windows before the epoch are aligned too.
@inline(__always)
@inlinable
func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

/// One window's result: the key, the window's bounds, and the aggregate.
public struct WindowResult<Key, Value> {
    /// The key the window belongs to.
    public var key: Key
    /// The window's start (inclusive).
    public var start: EventTime
    /// The window's end (exclusive).
    public var end: EventTime
    /// The aggregate over the window's records.
    public var value: Value

    /// Makes a result.
    @inlinable
    public init(key: Key, start: EventTime, end: EventTime, value: Value) {
        self.key = key
        self.start = start
        self.end = end
        self.value = value
    }
}

extension WindowResult: Sendable where Key: Sendable, Value: Sendable {}
extension WindowResult: Equatable where Key: Equatable, Value: Equatable {}
extension WindowResult: Hashable where Key: Hashable, Value: Hashable {}
extension WindowResult: Codable where Key: Codable, Value: Codable {}
extension WindowResult: CustomStringConvertible {
    @inlinable
    public var description: String { "\(key) [\(start.milliseconds), \(end.milliseconds)): \(value)" }
}

/// A record that arrived for a window that had already closed.
public struct LateRecord<Value> {
    /// The record's value.
    public var value: Value
    /// Its event time.
    public var timestamp: EventTime
    /// The start of the (closed) window it belonged to.
    public var windowStart: EventTime
    /// The watermark when it arrived.
    public var watermark: EventTime

    /// Makes a late record.
    @inlinable
    public init(value: Value, timestamp: EventTime, windowStart: EventTime, watermark: EventTime) {
        self.value = value
        self.timestamp = timestamp
        self.windowStart = windowStart
        self.watermark = watermark
    }
}

extension LateRecord: Sendable where Value: Sendable {}
extension LateRecord: Equatable where Value: Equatable {}
extension LateRecord: Codable where Value: Codable {}
