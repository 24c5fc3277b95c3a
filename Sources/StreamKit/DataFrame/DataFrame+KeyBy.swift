extension DataFrame where Value: Codable & Sendable {
    /// Re-keys the stream and repartitions it through the topic `<app>-<name>-repartition`, so that
    /// state downstream is kept per new key, on whichever instance owns that key's partition.
    ///
    ///     orderLines.keyBy { $0.productId }
    ///         .tumblingWindow(.seconds(300))
    ///
    /// Values cross the topic as JSON; the event time crosses as the record timestamp. So that replayed history
    /// is not deleted by time retention before it is read, the topic is created with `retention.ms=-1` and
    /// `cleanup.policy=delete`, and the app deletes what it has consumed after its commits; an existing topic with
    /// other settings or another partition count stops the app at start with a message naming the fix.
    @inlinable
    public func keyBy<NewKey: StreamKey>(
        name: String? = nil, _ newKey: @escaping (Value) throws -> NewKey
    ) -> DataFrame<NewKey, Value> {
        let stage = name ?? app.graph.nextName(for: "keyby")
        let partitions = app.repartitionPartitions ?? app.graph.widestInput
        let topic = Topic(
            name: "\(app.name)-\(stage)-repartition", keySerde: NewKey.defaultSerde, valueSerde: Serde<Value>.json,
            spec: TopicSpec(name: "\(app.name)-\(stage)-repartition", partitions: partitions))
        app.graph.use(topic.spec, as: .repartition)
        let rekeyed: DataFrame<NewKey, Value> = derive("keyBy", label: stage) { context, next in
            // Tells every partition of the topic how far this task's input has got in event time (`StreamTime`).
            let forwarder = WatermarkForwarder(topic: topic.name, partitions: partitions, context: context)
            return { record in
                let rekeyed = record.withKey(try runOperator(stage) { try newKey(record.value) })
                forwarder.note(record.timestamp)
                try next(rekeyed)
            }
        }
        rekeyed.to(topic)
        return app.dataframe(topic, role: .repartition)
    }
}

extension StreamGraph {
    /// The largest partition count among declared inputs and repartition topics (at least 1).
    @usableFromInline
    var widestInput: Int {
        topics.values.filter { !$0.roles.isDisjoint(with: [.input, .repartition]) }.map(\.spec.partitions).max() ?? 1
    }
}
