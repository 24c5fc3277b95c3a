/// Event time across a repartition topic, the model Flink uses: every upstream task sends its watermark to
/// every partition of the repartition topics it writes, and a downstream task's stream time for such a topic is
/// the least watermark over all the upstream partitions that feed it.
///
/// Without this, a repartition partition mixes records of every upstream partition, and its watermark would jump
/// to whichever upstream was read furthest: the records of the others would arrive late and be dropped, and a
/// replay would give different windows depending on how the partitions happened to be fetched.
///
/// The watermark travels as a control record: a null key and a value starting with ``marker``, never seen by
/// user code (the source stage consumes it before deserialisation).
@usableFromInline
enum WatermarkRecord {
    /// The first bytes of a control record's value. A JSON value, which every other repartition record is, never
    /// starts with a NUL.
    @usableFromInline
    static let marker: [UInt8] = Array("\u{0}streamkit-watermark\u{0}".utf8)

    /// The control record that tells partition `partition` of `topic` that `upstream` (one of `upstreamPartitions`
    /// partitions of its topic) has sent everything up to event time `watermark`; idle means it has had nothing to
    /// send for a while and holds nobody back.
    static func make(
        topic: String, partition: Int, upstream: TopicPartition, upstreamPartitions: Int, watermark: Int64,
        idle: Bool
    ) -> RawRecord {
        let text = "\(watermark) \(idle ? 1 : 0) \(upstreamPartitions) \(upstream.partition) \(upstream.topic)"
        return RawRecord(
            topic: topic, partition: partition, key: nil, value: marker + Array(text.utf8),
            timestamp: EventTime(milliseconds: max(0, watermark)),
            headers: [RecordHeader(name: "streamkit.watermark", utf8: text)])
    }

    /// The parsed body of a control record.
    @usableFromInline
    struct Body {
        @usableFromInline var upstream: TopicPartition
        @usableFromInline var upstreamPartitions: Int
        @usableFromInline var watermark: Int64
        @usableFromInline var idle: Bool

        @inlinable
        init(upstream: TopicPartition, upstreamPartitions: Int, watermark: Int64, idle: Bool) {
            self.upstream = upstream
            self.upstreamPartitions = upstreamPartitions
            self.watermark = watermark
            self.idle = idle
        }
    }

    /// The body of `value` when it is a control record; `nil` for a data record.
    @inlinable
    static func parse(_ value: UnsafeRawBufferPointer?) -> Body? {
        guard let value, value.count > marker.count, value.starts(with: marker) else { return nil }
        let text = String(decoding: value[marker.count...], as: UTF8.self)
        let fields = text.split(separator: " ", maxSplits: 4)
        guard fields.count == 5, let watermark = Int64(fields[0]), let partitions = Int(fields[2]),
            let partition = Int(fields[3])
        else { return nil }
        return Body(
            upstream: TopicPartition(topic: String(fields[4]), partition: partition), upstreamPartitions: partitions,
            watermark: watermark, idle: fields[1] == "1")
    }
}

/// The stream time of one repartition topic as a downstream task sees it: the least watermark over every
/// partition of every upstream topic heard from. An upstream partition not heard from yet holds the time back; an
/// idle one does not (unless all are idle).
@usableFromInline
final class UpstreamClock {
    @usableFromInline var watermarks: [TopicPartition: (time: Int64, idle: Bool)] = [:]
    /// Partition count per upstream topic.
    @usableFromInline var upstreamTopics: [String: Int] = [:]
    /// The stream time so far; it never goes back.
    @usableFromInline var time: Int64 = .min

    @inlinable
    init() {}

    /// Takes back what a task that read this topic before had heard (from a changelog): the upstream counts as
    /// heard from, with at least this watermark. Moves no stream time; the next control record does.
    func restore(_ upstream: TopicPartition, upstreamPartitions: Int, watermark: Int64, idle: Bool) {
        upstreamTopics[upstream.topic] = max(upstreamTopics[upstream.topic] ?? 0, upstreamPartitions)
        guard watermark > watermarks[upstream]?.time ?? .min else { return }
        watermarks[upstream] = (watermark, idle)
    }

    /// Notes a control record; returns the new stream time when it advanced.
    @inlinable
    func note(_ body: WatermarkRecord.Body) -> Int64? {
        upstreamTopics[body.upstream.topic] = max(upstreamTopics[body.upstream.topic] ?? 0, body.upstreamPartitions)
        let previous = watermarks[body.upstream]?.time ?? .min
        watermarks[body.upstream] = (max(previous, body.watermark), body.idle)
        var least = Int64.max
        var greatest = Int64.min
        var active = false
        for (topic, count) in upstreamTopics {
            for partition in 0..<count {
                guard let mark = watermarks[TopicPartition(topic: topic, partition: partition)] else { return nil }
                greatest = max(greatest, mark.time)
                guard !mark.idle else { continue }
                active = true
                least = min(least, mark.time)
            }
        }
        let now = active ? least : greatest
        guard now > time else { return nil }
        time = now
        return now
    }
}
