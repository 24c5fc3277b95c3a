/// Bounds a ``StreamJSONDecoder`` enforces before and while it reads a document.
///
/// They exist so a hostile or broken producer cannot make a consumer use unbounded time, memory or stack:
/// an over-limit document fails at once with ``JSONError/Kind/limitExceeded``.
public struct JSONLimits: Sendable {
    /// The deepest nesting of arrays and objects accepted; the top-level container is depth 1.
    public var maxDepth: Int
    /// The largest payload accepted, in bytes; checked before the first byte is read.
    public var maxDocumentBytes: Int

    /// Creates limits. `maxDepth` must be at least 1, and `maxDocumentBytes` between 1 and `Int32.max`.
    public init(maxDepth: Int, maxDocumentBytes: Int) {
        precondition(maxDepth >= 1, "JSONLimits.maxDepth must be at least 1")
        precondition(
            (1...Int(Int32.max)).contains(maxDocumentBytes), "JSONLimits.maxDocumentBytes must be in 1...Int32.max")
        self.maxDepth = maxDepth
        self.maxDocumentBytes = maxDocumentBytes
    }

    /// Depth 256 and 8 MiB: eight times Kafka's default maximum message size, far deeper than real records.
    public static let `default` = JSONLimits(maxDepth: 256, maxDocumentBytes: 8 << 20)
}
