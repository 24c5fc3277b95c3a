/// Which way a value must move from its baseline to count as a spike.
///
/// As a parameter of `detectSpikes` it selects the rises, the falls or both; in a ``SpikeAlert`` it says which
/// way the value moved, and is then `.up` or `.down`, never `.both`.
public enum SpikeDirection: String, Codable, Hashable, Sendable, CaseIterable {
    /// A rise above the baseline.
    case up
    /// A fall below the baseline.
    case down
    /// Rises and falls alike.
    case both

    /// Whether rises count.
    @inlinable
    var includesRises: Bool { self != .down }

    /// Whether falls count.
    @inlinable
    var includesFalls: Bool { self != .up }
}
