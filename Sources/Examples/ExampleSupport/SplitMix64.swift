/// A small, fast, seedable random number generator, so that simulated inputs are reproducible: the same
/// seed gives the same sequence on every machine and run.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Starts the sequence of `seed`.
    package init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    package mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A value in `range`, drawn by modulo (the bias is negligible for the small ranges simulators use).
    package mutating func next(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// A uniform number in [0, 1), from the top 53 bits.
    package mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
