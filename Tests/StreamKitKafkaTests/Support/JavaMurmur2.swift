/// An independent, naive transcription of the Java client's `Utils.murmur2` and `toPositive`, the reference the
/// partitioning test compares librdkafka's `murmur2_random` against. Arithmetic is done in `Int32` with
/// wrapping operators and logical (unsigned) shifts, as Java's `int` and `>>>` behave.
enum JavaMurmur2 {
    static func hash(_ data: [UInt8]) -> Int32 {
        let length = Int32(data.count)
        let seed: Int32 = Int32(bitPattern: 0x9747_b28c)
        let m: Int32 = 0x5bd1_e995
        let r: Int32 = 24
        var h: Int32 = seed ^ length
        let length4 = data.count / 4
        for i in 0..<length4 {
            let i4 = i * 4
            var k: Int32 =
                Int32(data[i4 + 0]) + (Int32(data[i4 + 1]) << 8) + (Int32(data[i4 + 2]) << 16)
                &+ (Int32(data[i4 + 3]) << 24)
            k = k &* m
            k ^= unsignedShiftRight(k, r)
            k = k &* m
            h = h &* m
            h ^= k
        }
        let tail = data.count & ~3
        switch data.count % 4 {
        case 3:
            h ^= Int32(data[tail + 2]) << 16
            h ^= Int32(data[tail + 1]) << 8
            h ^= Int32(data[tail])
            h = h &* m
        case 2:
            h ^= Int32(data[tail + 1]) << 8
            h ^= Int32(data[tail])
            h = h &* m
        case 1:
            h ^= Int32(data[tail])
            h = h &* m
        default:
            break
        }
        h ^= unsignedShiftRight(h, 13)
        h = h &* m
        h ^= unsignedShiftRight(h, 15)
        return h
    }

    /// `Utils.toPositive(Utils.murmur2(keyBytes)) % numPartitions`, the Java default partitioner for a key.
    static func partition(forKey key: String, partitions: Int) -> Int {
        Int(hash(Array(key.utf8)) & 0x7fff_ffff) % partitions
    }

    private static func unsignedShiftRight(_ value: Int32, _ count: Int32) -> Int32 {
        Int32(bitPattern: UInt32(bitPattern: value) >> UInt32(count))
    }
}
