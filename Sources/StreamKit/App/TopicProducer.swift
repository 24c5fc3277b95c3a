/// A typed producer for one topic: feed a pipeline's input, or write anything a test or tool needs, with the
/// topic's own serdes. An actor, so it is safe to use from any task or actor (the main actor included).
///
///     let producer = try await broker.producer(for: readings)
///     try await producer.send(key: "sensor-1", value: reading, timestamp: .init(milliseconds: reading.tsMs))
///     try await producer.flush()
///
/// Sends are queued and batched by the broker; ``flush()`` waits until every one is acknowledged and throws the
/// first delivery failure. ``close()`` flushes and releases the underlying producer.
public actor TopicProducer<Key: StreamKey, Value> {
    /// The topic written to.
    public nonisolated let topic: Topic<Key, Value>
    /// StreamKit's producers (Kafka's, the in-memory broker's) accept sends while a flush waits, which is all
    /// that can overlap here: the actor runs one send at a time, and `flush()` and `close()` wait outside it.
    private nonisolated let box: ProducerBox

    init(topic: Topic<Key, Value>, producer: any BrokerProducer) {
        self.topic = topic
        box = ProducerBox(producer)
    }

    /// Queues one record. The partition comes from the key (as the broker partitions keyed records) unless
    /// `partition` names one; the timestamp is the record's event time unless the pipeline takes it from the value.
    ///
    /// - Throws: `SerdeError` when the key or value cannot be encoded, or the broker's error when the record
    ///   cannot be queued.
    public func send(key: Key, value: Value, timestamp: EventTime, partition: Int? = nil, headers: [RecordHeader] = [])
        throws
    {
        try box.producer.send(
            RawRecord(
                topic: topic.name, partition: partition, key: try topic.keySerde.encode(key),
                value: try topic.valueSerde.encode(value), timestamp: timestamp, headers: headers))
    }

    /// Waits until every queued record is acknowledged.
    public nonisolated func flush() async throws {
        try await box.producer.flush()
    }

    /// Flushes, then releases the producer; it cannot send afterwards.
    public nonisolated func close() async throws {
        try await box.producer.close()
    }
}

/// Holds a producer for ``TopicProducer``; see its note on what may overlap.
final class ProducerBox: @unchecked Sendable {
    let producer: any BrokerProducer
    init(_ producer: any BrokerProducer) { self.producer = producer }
}

extension StreamBroker {
    /// A typed producer for `topic` (not transactional), creating the topic first if it does not exist.
    public func producer<Key, Value>(for topic: Topic<Key, Value>) async throws -> TopicProducer<Key, Value> {
        try await createTopics([topic.spec])
        return TopicProducer(topic: topic, producer: try await makeProducer(transactionalID: nil))
    }

    /// Every committed record of one partition now, in offset order, as copies: the undecoded form of
    /// `records(in:)`, safe to call from any actor.
    public func rawRecords(in partition: TopicPartition) async throws -> [RawRecord] {
        var records: [RawRecord] = []
        try await readToEnd(partition) { records.append($0.copy()) }
        return records
    }

    /// Every committed record of `topic` now, decoded with the topic's serdes, partition by partition in offset
    /// order: read a pipeline's output back, in a test or a tool. Safe to call from any actor; nothing of the
    /// broker's buffers escapes.
    ///
    ///     let windows = try await broker.records(in: counts).map(\.value)
    ///
    /// - Throws: `StreamAppError.recordFailed`, naming the record's position, when a record does not decode.
    public func records<Key, Value>(in topic: Topic<Key, Value>) async throws -> [StreamRecord<Key, Value>] {
        let partitions = try await partitionCounts(of: [topic.name])[topic.name] ?? topic.spec.partitions
        var records: [StreamRecord<Key, Value>] = []
        for partition in 0..<partitions {
            for raw in try await rawRecords(in: TopicPartition(topic: topic.name, partition: partition)) {
                do {
                    records.append(try topic.decode(raw))
                } catch {
                    let position = SourcePosition(topic: raw.topic, partition: partition, offset: raw.offset)
                    throw StreamAppError(
                        .recordFailed, "record \(position) of '\(topic.name)' does not decode: \(error)")
                }
            }
        }
        return records
    }
}
