/// The records returned by one ``KafkaConsumer/poll(maxMessages:timeout:)``, still in librdkafka's buffers.
///
/// The batch owns the messages and frees them when it is released, so read them in place with ``forEach(_:)``
/// (no copy of keys or values) and let the batch go; copy only what must outlive it with ``copyMessages()``.
/// Errors that librdkafka reported among the records (a transport failure, an offset out of range) are not
/// records: they are in ``errors``, and ``forEach(_:)`` skips them.
///
/// `Sendable`, so a batch polled on a dedicated thread can be handed to a task.
public final class KafkaMessageBatch: Sendable {
    private let storage: RdKafkaMessageArray

    init(storage: RdKafkaMessageArray) { self.storage = storage }

    /// The number of records (errors excluded).
    public var count: Int { storage.count }

    /// Whether the poll timed out without records.
    public var isEmpty: Bool { storage.count == 0 }

    /// Non-fatal errors librdkafka delivered with this batch; librdkafka keeps retrying behind them.
    public var errors: [KafkaError] { storage.errors }

    /// Calls `body` with a view of each record in partition order, without copying payloads.
    ///
    /// The view and its buffers are valid only during the call.
    public func forEach<E: Error>(_ body: (borrowing KafkaMessageView) throws(E) -> Void) throws(E) {
        for index in 0..<storage.count {
            try body(KafkaMessageView(storage.message(at: index)))
        }
    }

    /// Lends the record at `index` (errors excluded), in place.
    func withMessage<R>(at index: Int, _ body: (borrowing KafkaMessageView) throws -> R) rethrows -> R {
        try body(KafkaMessageView(storage.message(at: index)))
    }

    /// Partitions whose end this poll reached (with `enable.partition.eof=true`), with their end offsets.
    var endsOfPartition: [KafkaTopicPartition: Int64] { storage.endsOfPartition }

    /// Copies every record out of librdkafka's buffers: costs an allocation per key, value and header.
    public func copyMessages() -> [KafkaMessage] {
        var messages: [KafkaMessage] = []
        messages.reserveCapacity(count)
        forEach { view in messages.append(view.copy()) }
        return messages
    }
}

/// One consumed record read in place from librdkafka's buffer, lent by ``KafkaMessageBatch/forEach(_:)``.
///
/// Non-copyable, so it cannot be kept past the call; the buffers it returns are valid only during that call,
/// too. `topic` and `headers` build Swift values on each access; `key`, `value`, `partition`, `offset` and
/// `timestampMs` are free.
public struct KafkaMessageView: ~Copyable {
    private let message: RdKafkaMessageRef

    init(_ message: RdKafkaMessageRef) { self.message = message }

    /// The key bytes in librdkafka's buffer; `nil` for a null key.
    public var key: UnsafeRawBufferPointer? { message.key }
    /// The value bytes in librdkafka's buffer; `nil` for a null value (a tombstone).
    public var value: UnsafeRawBufferPointer? { message.value }
    /// The topic name (a new `String` per access).
    public var topic: String { message.topic }
    /// The partition the record was read from.
    public var partition: Int { message.partition }
    /// The record's offset in its partition.
    public var offset: Int64 { message.offset }
    /// The record timestamp in milliseconds since the Unix epoch (a wire field), if available.
    public var timestampMs: Int64? { message.timestampMs }

    /// Equal for records of the same topic; lets a batch be split by topic without building names.
    var topicIdentity: UnsafeRawPointer? { message.topicIdentity }
    /// Whether the record has headers at all (no allocation).
    var hasHeaders: Bool { message.hasHeaders }

    /// The headers in wire order, copied.
    public var headers: [KafkaHeader] {
        var headers: [KafkaHeader] = []
        message.forEachHeader { name, value in headers.append(KafkaHeader(name: name, value: value.map(Array.init))) }
        return headers
    }

    /// Calls `body` with each header's name and value buffer (valid only during the call), without copying values.
    public func forEachHeader<E: Error>(_ body: (String, UnsafeRawBufferPointer?) throws(E) -> Void) throws(E) {
        try message.forEachHeader(body)
    }

    /// Copies the record into an owned ``KafkaMessage``.
    public func copy() -> KafkaMessage {
        KafkaMessage(
            topic: topic, partition: partition, offset: offset, key: key.map(Array.init), value: value.map(Array.init),
            timestampMs: timestampMs, headers: headers)
    }
}
