/// A tick with the last sequence number accepted for its symbol before it: what the quality stage decides on.
///
/// Decisions, per symbol:
/// - `sequence <= previous`: a duplicate (or a replay of an older tick): dead-lettered.
/// - `sequence > previous + 1` after an earlier tick: a gap. The tick itself is sound, so it is kept for the
///   bars; the gap goes to `orderbook.gaps` and is counted. Dead-lettering it would lose a real quote and bring
///   the missing ones back no sooner.
/// - The first tick of a symbol opens its sequence wherever it starts: the feed may have begun before this app.
struct SequencedTick: Sendable {
    var tick: Tick
    /// The last sequence number accepted for the symbol; 0 when none was.
    var previous: Int64

    /// The dead-letter reason when the sequence number was already used.
    var duplicateReason: String? {
        tick.sequence <= previous ? "duplicate sequence \(tick.sequence) (last accepted \(previous))" : nil
    }

    /// The gap this tick reveals, if any.
    var gap: SequenceGap? {
        guard previous > 0, tick.sequence > previous + 1 else { return nil }
        return SequenceGap(
            symbol: tick.symbol, lastSequence: previous, nextSequence: tick.sequence,
            missing: tick.sequence - previous - 1, tsEventMs: tick.tsEventMs)
    }
}
