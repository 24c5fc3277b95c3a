/// A record that could not be read or written in its topic's format.
///
/// The source fills in where the record came from, so the message names the topic, partition and
/// offset as well as the field that failed; the dead-letter path copies `description` into the
/// `streamkit.error` header.
public struct SerdeError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in the format's own words.
    public var reason: String
    /// The field that failed, as a coding path (`items[2].price`), when known.
    public var field: String?
    /// Where the record came from, when it came from a topic.
    public var position: SourcePosition?
    /// Whether the key (rather than the value) failed.
    public var isKey: Bool

    /// Makes a serde error.
    public init(reason: String, field: String? = nil, position: SourcePosition? = nil, isKey: Bool = false) {
        self.reason = reason
        self.field = field
        self.position = position
        self.isKey = isKey
    }

    public var description: String {
        var text = "cannot deserialize \(isKey ? "key" : "value")"
        if let position { text += " at \(position)" }
        if let field, !field.isEmpty { text += ", field '\(field)'" }
        return text + ": " + reason
    }
}
