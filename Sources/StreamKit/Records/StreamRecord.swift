/// A typed record flowing through a pipeline: key, value, event time, headers and where it came from.
///
/// Operators see values; the record travels with them so that windows know the event time and sinks
/// and the dead-letter path know the source position.
public struct StreamRecord<Key, Value> {
    /// The record's key; state and windows are kept per key.
    public var key: Key
    /// The record's value.
    public var value: Value
    /// The record's event time: the broker timestamp unless `eventTime(_:)` set another.
    public var timestamp: EventTime
    /// The record's headers.
    public var headers: [RecordHeader]
    /// The source record this one derives from; `nil` for records made by a timer (idle window close).
    public var position: SourcePosition?

    /// Makes a record.
    @inlinable
    public init(
        key: Key, value: Value, timestamp: EventTime, headers: [RecordHeader] = [], position: SourcePosition? = nil
    ) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.headers = headers
        self.position = position
    }

    /// The same record with another value.
    @inlinable
    public func withValue<NewValue>(_ newValue: NewValue) -> StreamRecord<Key, NewValue> {
        StreamRecord<Key, NewValue>(
            key: key, value: newValue, timestamp: timestamp, headers: headers, position: position)
    }

    /// The same record with another key.
    @inlinable
    public func withKey<NewKey>(_ newKey: NewKey) -> StreamRecord<NewKey, Value> {
        StreamRecord<NewKey, Value>(
            key: newKey, value: value, timestamp: timestamp, headers: headers, position: position)
    }
}

extension StreamRecord: Sendable where Key: Sendable, Value: Sendable {}
extension StreamRecord: Equatable where Key: Equatable, Value: Equatable {}
