import Logging

/// The records that failed since the last checkpoint and were dead-lettered or skipped, logged as one warning
/// per (dead-letter topic, stage) or per skipping stage.
///
/// A broken upstream can make every record it sends fail; a warning per record would flood the log, so each
/// dead-lettered record is logged at `.trace` and the warning carries the count (`records`) and the first record's
/// position and reason (`first_topic`, `first_partition`, `first_offset`, `first_reason`). Skipped records leave only their count (the error policy keeps nothing else of them).
struct FailedRecordLog {
    private struct Key: Hashable {
        /// The dead-letter topic, or `nil` for skipped records.
        var topic: String?
        var stage: String
    }

    private struct Entry {
        var count: Int
        var first: Logger.Metadata
    }

    private var entries: [Key: Entry] = [:]
    private var order: [Key] = []

    /// Notes one record written to a dead-letter topic.
    mutating func noteDeadLetter(_ note: DeadLetterNote, logger: Logger) {
        var metadata: Logger.Metadata = [
            "dead_letter_topic": "\(note.topic)", "stage": "\(note.stage)", "reason": "\(note.reason)",
        ]
        if let source = note.source {
            metadata["topic"] = "\(source.topic)"
            metadata["partition"] = "\(source.partition)"
            metadata["offset"] = "\(source.offset)"
        }
        logger.trace("record dead-lettered", metadata: metadata)
        add(1, to: Key(topic: note.topic, stage: note.stage), first: metadata)
    }

    /// Notes records the error policy skipped at `stage`.
    mutating func noteSkipped(_ count: Int, stage: String) {
        add(count, to: Key(topic: nil, stage: stage), first: ["stage": "\(stage)"])
    }

    private mutating func add(_ count: Int, to key: Key, first: @autoclosure () -> Logger.Metadata) {
        if entries[key] == nil {
            entries[key] = Entry(count: 0, first: first())
            order.append(key)
        }
        entries[key]!.count += count
    }

    /// Logs a warning per group noted since the last call, and forgets them.
    mutating func flush(to logger: Logger) {
        for key in order {
            guard let entry = entries[key] else { continue }
            var metadata: Logger.Metadata = ["records": "\(entry.count)"]
            // The position and reason are the first record's of the group, named so.
            for (name, value) in entry.first {
                metadata[["dead_letter_topic", "stage"].contains(name) ? name : "first_\(name)"] = value
            }
            logger.warning(
                key.topic == nil
                    ? "records skipped since the last checkpoint"
                    : "records dead-lettered since the last checkpoint (first_* fields: the first of them)",
                metadata: metadata)
        }
        entries = [:]
        order = []
    }
}
