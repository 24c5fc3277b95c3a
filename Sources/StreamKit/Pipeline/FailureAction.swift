/// What the error policy did with a record that failed: the `action` label of `streamkit_records_failed_total`.
/// (A `.fail` policy stops the app instead, so it is never counted.)
@usableFromInline
enum FailureAction: String, Hashable, Sendable {
    /// Dropped and counted.
    case skip
    /// Written to a dead-letter topic with the reason headers.
    case deadLetter = "dead_letter"
}
