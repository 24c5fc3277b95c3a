/// How far from its baseline a spike is.
public enum SpikeSeverity: String, Codable, Hashable, Sendable, Comparable, CaseIterable {
    /// Beyond the rule's threshold.
    case medium = "MEDIUM"
    /// Beyond the rule's high threshold.
    case high = "HIGH"

    @inlinable
    public static func < (lhs: SpikeSeverity, rhs: SpikeSeverity) -> Bool { lhs == .medium && rhs == .high }
}
