import Foundation

/// The wall clock, for what must be recent on a real service: record timestamps on the separate broker (it applies
/// time retention by them at once) and rows on TimescaleDB (its default policies drop or compress old chunks).
/// Tests of the library's own time use event time or a `SimulatedClock`, never this.
package enum WallClock {
    /// Milliseconds since the Unix epoch now.
    package static var nowMs: Int64 { Int64(Date().timeIntervalSince1970 * 1_000) }
}
