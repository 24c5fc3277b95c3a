/// Guards saved state against a pipeline whose state layout changed.
///
/// The fingerprint of the layout (`PipelineDescription.stateFingerprint`) is stored in the app's
/// metadata topic with its first checkpoint. On start, a different stored fingerprint means the
/// changelogs were written by another pipeline shape and would be misread, so the app refuses to start.
enum StateFingerprint {
    static let key = Array("state-fingerprint".utf8)

    static func metadataTopic(app: String) -> TopicSpec {
        TopicSpec(name: "\(app)-streamkit-metadata", partitions: 1).asInternal(.metadata)
    }

    /// Checks the stored fingerprint against the pipeline's; returns the record to write when none or an
    /// equal one is stored.
    static func verify(_ description: PipelineDescription, storedValue: [UInt8]?, now: EventTime) throws -> RawRecord? {
        let current = description.stateFingerprint
        guard let storedValue else {
            return RawRecord(
                topic: metadataTopic(app: description.app).name, partition: 0, key: key, value: Array(current.utf8),
                timestamp: now)
        }
        let stored = String(decoding: storedValue, as: UTF8.self)
        guard stored == current else {
            throw StreamAppError(
                .stateLayoutChanged,
                "the state of app '\(description.app)' was written by a pipeline with state fingerprint \(stored), "
                    + "this pipeline's is \(current) (stores: \(description.stores.map(\.name).joined(separator: ", "))). "
                    + "Run it under a new app name, or delete the app's changelog and metadata topics to start empty")
        }
        return nil
    }

    /// The stored fingerprint among metadata records (the last one wins, as in a compacted topic).
    static func storedValue(in view: borrowing RawRecordView, into value: inout [UInt8]?) {
        guard let k = view.key, k.elementsEqual(key), let v = view.value else { return }
        value = Array(v)
    }
}
