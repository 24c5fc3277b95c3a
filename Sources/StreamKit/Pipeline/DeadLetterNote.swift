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
