/// Sequence numbers missing from a symbol's feed, as reported on `orderbook.gaps`:
/// `{"symbol","last_sequence","next_sequence","missing","ts_event_ms"}`.
struct SequenceGap: Codable, Hashable, Sendable {
    var symbol: String
    /// The last sequence number received before the gap.
    var lastSequence: Int64
    /// The sequence number that arrived instead of `lastSequence + 1`.
    var nextSequence: Int64
    /// How many numbers are missing in between.
    var missing: Int64
    /// The event time of the tick that revealed the gap.
    var tsEventMs: Int64
}
