/// Kafka's default partitioner: murmur2 of the key bytes, made positive, modulo the partition count —
/// the Java client's `Utils.murmur2` and `toPositive`, so keys land where other clients put them.
package enum Murmur2 {
    /// The partition for `key` among `partitions`.
    package static func partition(for key: [UInt8], partitions: Int) -> Int {
        Int(UInt32(bitPattern: hash(key)) & 0x7fff_ffff) % partitions
    }

    /// Murmur2 (32-bit, seed 0x9747b28c) as the Java client computes it.
    package static func hash(_ data: [UInt8]) -> Int32 {
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        var h: UInt32 = 0x9747_b28c ^ UInt32(data.count)
        let blocks = data.count / 4
        for i in 0..<blocks {
            let base = i * 4
            var k =
                UInt32(data[base]) | UInt32(data[base + 1]) << 8 | UInt32(data[base + 2]) << 16
                | UInt32(data[base + 3]) << 24
            k &*= m
            k ^= k >> r
            k &*= m
            h &*= m
            h ^= k
        }
        let tail = blocks * 4
        switch data.count % 4 {
        case 3:
            h ^= UInt32(data[tail + 2]) << 16
            fallthrough
        case 2:
            h ^= UInt32(data[tail + 1]) << 8
            fallthrough
        case 1:
            h ^= UInt32(data[tail])
            h &*= m
        default: break
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }
}
