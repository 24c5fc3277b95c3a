/// A bad tick the simulator mixes into the feed (`--bad-tick-rate`), so the quality stage has work.
enum InjectedFault: String, CaseIterable, Sendable {
    /// An extra record holding the first half of the tick's bytes: not decodable.
    case malformed
    /// The tick's ask is below its bid.
    case crossedBook
    /// The tick's bid volume is negative.
    case negativeVolume
    /// The tick is sent twice: the second copy repeats its sequence number.
    case duplicateSequence
    /// One to three sequence numbers are skipped before the tick (a sound tick, reported as a gap).
    case sequenceGap
}
