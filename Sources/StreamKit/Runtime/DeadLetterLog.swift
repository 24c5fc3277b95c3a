import Logging

/// The records dead-lettered since the last checkpoint, logged as one warning per (dead-letter topic, stage).
///
/// A broken upstream can dead-letter every record it sends; a warning per record would flood the log, so
/// each record is logged at `.trace` and the warning carries the count and the first record's position
/// and reason.
struct DeadLetterLog {
    private struct Key: Hashable {
        var topic: String
        var stage: String
    }

    private struct Entry {
        var count: Int
        var first: Logger.Metadata
    }

    private var entries: [Key: Entry] = [:]
    private var order: [Key] = []

    /// Notes one record written to a dead-letter topic, with the reason headers the runtime put on it.
    mutating func note(_ record: RawRecord, logger: Logger) {
        let metadata = Self.metadata(of: record)
        logger.trace("record dead-lettered", metadata: metadata)
        let key = Key(topic: record.topic, stage: Self.lastHeader(DeadLetterHeader.stage, of: record) ?? "")
        if entries[key] == nil {
            entries[key] = Entry(count: 0, first: metadata)
            order.append(key)
        }
        entries[key]!.count += 1
    }

    /// Logs a warning per (topic, stage) noted since the last call, and forgets them.
    mutating func flush(to logger: Logger) {
        for key in order {
            guard let entry = entries[key] else { continue }
            var metadata = entry.first
            metadata["records"] = "\(entry.count)"
            logger.warning("records dead-lettered", metadata: metadata)
        }
        entries = [:]
        order = []
    }

    /// The dead-letter topic, and the source position, stage and reason of a dead-lettered record.
    private static func metadata(of record: RawRecord) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["dead_letter_topic": "\(record.topic)"]
        let fields = [
            ("topic", DeadLetterHeader.sourceTopic), ("partition", DeadLetterHeader.sourcePartition),
            ("offset", DeadLetterHeader.sourceOffset), ("stage", DeadLetterHeader.stage),
            ("reason", DeadLetterHeader.error),
        ]
        for (key, header) in fields {
            if let value = lastHeader(header, of: record) { metadata[key] = "\(value)" }
        }
        return metadata
    }

    /// The runtime appends its reason headers after the record's own, which may hold older ones (a record
    /// read back from a dead-letter topic), so the last header of a name is the current one.
    private static func lastHeader(_ name: String, of record: RawRecord) -> String? {
        record.headers.last { $0.name == name }?.stringValue
    }
}
