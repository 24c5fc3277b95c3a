/// The entry of an input topic into the pipeline: deserialises raw records and pushes typed ones.
@usableFromInline
protocol SourceRoot: AnyObject {
    /// The per-record function of this topic for one task.
    func compile(in context: PartitionContext) -> (borrowing RawRecordView) throws -> Void
}

/// The source of one input topic: its typed port, and the factory of its per-record root stage.
///
/// The factory is a closure made where the topic's types are concrete (in the caller's specialised
/// `dataframe(_:)`), so the root stage and everything it pushes into run specialised code.
@usableFromInline
final class TopicSource<Key: StreamKey, Value>: SourceRoot {
    @usableFromInline let port: RecordPort<Key, Value>
    @usableFromInline let node: Int
    @usableFromInline let makeRoot: (PartitionContext) -> (borrowing RawRecordView) throws -> Void

    @inlinable
    init(topic: Topic<Key, Value>, node: Int) {
        let port = RecordPort<Key, Value>()
        self.port = port
        self.node = node
        self.makeRoot = { context in Self.rootStage(topic: topic, port: port, context: context) }
    }

    @usableFromInline
    func compile(in context: PartitionContext) -> (borrowing RawRecordView) throws -> Void {
        makeRoot(context)
    }

    /// Deserialises each record and pushes it downstream; failures follow the error policy.
    @inlinable
    static func rootStage(
        topic: Topic<Key, Value>, port: RecordPort<Key, Value>, context: PartitionContext
    ) -> (borrowing RawRecordView) throws -> Void {
        let push = port.compile(in: context)
        let keySerde = topic.keySerde
        let valueSerde = topic.valueSerde
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        return { view in
            if context.isRepartitionInput, view.key == nil, let body = WatermarkRecord.parse(view.value) {
                return try context.noteUpstream(body, topic: view.topic)
            }
            context.currentSource = CurrentSource(
                position: view.position, timestamp: view.timestamp, key: view.key, value: view.value,
                headers: view.headers)
            defer { context.currentSource = nil }
            let key: Key
            let value: Value
            do {
                key = try keySerde.deserialize(view.key ?? empty)
            } catch {
                return try context.handleFailure(
                    SerdeError(wrapping: error, position: view.position, isKey: true),
                    action: context.errorPolicy.deserialization, stage: "deserialize")
            }
            do {
                value = try valueSerde.deserialize(view.value ?? empty)
            } catch {
                return try context.handleFailure(
                    SerdeError(wrapping: error, position: view.position, isKey: false),
                    action: context.errorPolicy.deserialization, stage: "deserialize")
            }
            do {
                try push(
                    StreamRecord(
                        key: key, value: value, timestamp: view.timestamp, headers: view.headers,
                        position: view.position))
            } catch let failure as OperatorFailure {
                try context.handleFailure(failure, action: context.errorPolicy.processing, stage: failure.stage)
            }
        }
    }
}

extension SerdeError {
    /// Adds the position (and key/value side) to an error thrown by a serde.
    @inlinable
    init(wrapping error: any Error, position: SourcePosition, isKey: Bool) {
        if var serdeError = error as? SerdeError {
            serdeError.position = position
            serdeError.isKey = isKey
            self = serdeError
        } else {
            self.init(reason: String(describing: error), position: position, isKey: isKey)
        }
    }
}
