import Testing

@Suite("Java murmur2 reference")
struct JavaMurmur2Tests {
    /// The Java client's own expectations for `Utils.murmur2` (its UtilsTest vectors).
    @Test func matchesJavaClientVectors() {
        let vectors: [(String, Int32)] = [
            ("21", -973_932_308),
            ("foobar", -790_332_482),
            ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
            ("abc", 479_470_107),
        ]
        for (key, expected) in vectors {
            #expect(JavaMurmur2.hash(Array(key.utf8)) == expected, "murmur2(\(key))")
        }
    }
}
