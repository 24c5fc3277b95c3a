/// What the error policy did with a record that failed: the `action` label of `streamkit_records_failed_total`.
/// (A `.fail` policy stops the app instead, so it is never counted.)
@usableFromInline
enum FailureAction: String, Hashable, Sendable {
    /// Dropped and counted.
    case skip
    /// Written to a dead-letter topic with the reason headers.
    case deadLetter = "dead_letter"
}

/// A record a task wrote to a dead-letter topic, as data: the runtime logs it from this, never by parsing the
/// headers back.
@usableFromInline
struct DeadLetterNote: Sendable {
    @inlinable
    init(topic: String, stage: String, reason: String, source: SourcePosition?) {
        self.topic = topic
        self.stage = stage
        self.reason = reason
        self.source = source
    }

    /// The dead-letter topic.
    @usableFromInline var topic: String
    /// The stage that rejected the record: `deserialize`, an operator's name, or a filter's.
    @usableFromInline var stage: String
    /// Why, as written to the `streamkit.error` header.
    @usableFromInline var reason: String
    /// Where the record was read; `nil` for a record that came from an async sequence.
    @usableFromInline var source: SourcePosition?
}
