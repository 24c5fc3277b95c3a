/// A seeded simulator of one kind of event: the same seed gives the same events, timestamps aside.
package protocol EventGenerator: Sendable {
    associatedtype Event: Sendable

    /// The next event, stamped with `timestampMs` (milliseconds since the Unix epoch).
    mutating func next(timestampMs: Int64) -> Event
}
