/// What to do with a record that failed: stop, skip it, or send it to a dead-letter topic.
///
/// Nothing is dropped silently: skipped and dead-lettered records are counted by reason in
/// `streamkit_records_failed_total`, and dead-lettered ones keep their original bytes and headers plus
/// `streamkit.error`, `streamkit.stage`, `streamkit.source.topic`, `streamkit.source.partition` and
/// `streamkit.source.offset`.
public enum ErrorAction: Hashable, Sendable {
    /// Stop the app with the error (after no further commit, so the record is read again on restart).
    case fail
    /// Count the record and go on.
    case skip
    /// Write the original bytes with reason headers to the named topic and go on.
    case deadLetter(String)
}

/// The error actions of an app, per kind of failure.
public struct ErrorPolicy: Hashable, Sendable {
    /// For records whose key or value cannot be deserialised.
    public var deserialization: ErrorAction
    /// For records on which an operator's closure throws.
    public var processing: ErrorAction

    /// Makes a policy.
    public init(deserialization: ErrorAction, processing: ErrorAction) {
        self.deserialization = deserialization
        self.processing = processing
    }

    /// Stop on any failure: the default, so problems are seen at once.
    public static let fail = ErrorPolicy(deserialization: .fail, processing: .fail)

    /// Send every failed record to `topic` and keep going.
    public static func deadLetter(_ topic: String) -> ErrorPolicy {
        ErrorPolicy(deserialization: .deadLetter(topic), processing: .deadLetter(topic))
    }
}

/// What a filter does with the records it rejects.
public enum Rejection: Hashable, Sendable {
    /// Drop them (counted as filtered).
    case drop
    /// Write their original bytes with the reason to the named dead-letter topic.
    case deadLetter(String)
}

/// The header names StreamKit puts on dead-lettered records.
public enum DeadLetterHeader {
    /// Why the record failed.
    public static let error = "streamkit.error"
    /// Which stage rejected it (`deserialize`, an operator's name, or a filter's).
    public static let stage = "streamkit.stage"
    /// The topic it was read from.
    public static let sourceTopic = "streamkit.source.topic"
    /// The partition it was read from.
    public static let sourcePartition = "streamkit.source.partition"
    /// Its offset there.
    public static let sourceOffset = "streamkit.source.offset"
}
