extension DataFrame {
    /// Produces every record to `topic`, keeping key, event time and headers, and passes it on.
    ///
    ///     bars.to(barsTopic).to(timescaleSink)
    ///
    /// The broker picks the partition from the key bytes (Kafka's murmur2), as any other client would.
    @discardableResult
    @inlinable
    public func to(_ topic: Topic<Key, Value>) -> DataFrame<Key, Value> {
        app.graph.use(topic.spec, as: .output)
        let frame: DataFrame<Key, Value> = derive("to", label: topic.name) { context, next in
            let keySerde = topic.keySerde
            let valueSerde = topic.valueSerde
            let name = topic.name
            return { record in
                var key: [UInt8] = []
                var value: [UInt8] = []
                try runOperator("to \(name)") {
                    try keySerde.serialize(record.key, &key)
                    try valueSerde.serialize(record.value, &value)
                }
                context.emit(
                    RawRecord(topic: name, key: key, value: value, timestamp: record.timestamp, headers: record.headers)
                )
                try next(record)
            }
        }
        app.graph.setTopic(topic.name, of: frame.node)
        return frame
    }

    /// Hands every value to `sink`, and passes the record on.
    ///
    ///     bars.to(TimescaleSink(table: "bars_1s", on: pg, upsertKey: ["symbol", "window_start"]))
    @discardableResult
    @inlinable
    public func to<Sink: StreamSink>(_ sink: Sink) -> DataFrame<Key, Value> where Sink.Value == Value {
        app.graph.addSink(SinkFlusher(sink))
        return derive("sink", label: String(describing: Sink.self)) { context, next in
            { record in
                let sinkContext = SinkContext(
                    timestamp: record.timestamp, position: record.position, partition: context.partition)
                try runOperator("sink") { try sink.append(record.value, context: sinkContext) }
                try next(record)
            }
        }
    }
}
