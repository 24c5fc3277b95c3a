import StreamKit

/// A spread or price spike of one symbol, as reported on `orderbook.spikes`:
/// `{"symbol","kind","observed","baseline","ratio","severity","sequence","ts_event_ms"}`.
///
/// `spread` compares a tick's spread with the symbol's EMA of spreads; `price` compares the absolute move of the
/// mid price since the symbol's previous tick with the EMA of those moves. A spread is flagged above 2× its
/// baseline (`HIGH` above 3×), a price move above 4× (`HIGH` above 8×).
struct SpikeFlag: Codable, Hashable, Sendable {
    enum Kind: String, Codable, Hashable, Sendable {
        case spread
        case price
    }

    var symbol: String
    var kind: Kind
    var observed: Double
    var baseline: Double
    var ratio: Double
    var severity: SpikeSeverity
    var sequence: Int64
    var tsEventMs: Int64

    init(_ kind: Kind, tick: Tick, alert: SpikeAlert<some Any>) {
        symbol = tick.symbol
        self.kind = kind
        observed = alert.observed
        baseline = alert.baseline
        // Spreads and moves are never negative, and a ratio rule never fires against a zero baseline.
        ratio = alert.ratio ?? .infinity
        severity = alert.severity
        sequence = tick.sequence
        tsEventMs = tick.tsEventMs
    }
}
