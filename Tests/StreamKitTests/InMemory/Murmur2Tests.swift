import Testing

@testable import StreamKit

/// The in-memory broker partitions keys as the Java client does, so a test on it puts a key in the partition
/// Kafka would: the hash against the Java client's own vectors (its `UtilsTest`), the partition as
/// `toPositive(murmur2(key)) % partitions`.
@Suite("Murmur2 partitioner")
struct Murmur2Tests {
    @Test("murmur2 equals the Java client's vectors")
    func javaVectors() {
        let vectors: [(String, Int32)] = [
            ("21", -973_932_308),
            ("foobar", -790_332_482),
            ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
            ("abc", 479_470_107),
        ]
        for (key, expected) in vectors {
            #expect(Murmur2.hash(Array(key.utf8)) == expected, "murmur2(\(key))")
        }
    }

    /// Worked by hand: -973,932,308 is 0xC5F2_F8EC as 32 bits; masking the sign bit leaves 1,173,551,340, which is
    /// 3 mod 7 and 0 mod 12. 479,470,107 is positive already: 4 mod 7, 3 mod 12.
    @Test("the partition is the positive hash modulo the partition count")
    func partitions() {
        #expect(Murmur2.partition(for: Array("21".utf8), partitions: 7) == 3)
        #expect(Murmur2.partition(for: Array("21".utf8), partitions: 12) == 0)
        #expect(Murmur2.partition(for: Array("abc".utf8), partitions: 7) == 4)
        #expect(Murmur2.partition(for: Array("abc".utf8), partitions: 12) == 3)
        let broker = InMemoryBroker()
        broker.createTopic(TopicSpec(name: "keys", partitions: 7))
        let position = broker.append(
            RawRecord(topic: "keys", key: Array("abc".utf8), value: nil, timestamp: EventTime(milliseconds: 0)))
        #expect(position.partition == 4)
    }
}
