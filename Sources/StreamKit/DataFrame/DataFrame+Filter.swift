extension DataFrame {
    /// Keeps the records for which `isIncluded` returns `true`.
    ///
    /// Rejected records are dropped or dead-lettered with the reason, per `otherwise`, and counted.
    ///
    ///     ticks.filter(Tick.isValid, otherwise: .deadLetter("orderbook.invalid"))
    ///
    /// - Parameters:
    ///   - isIncluded: Runs on the hot path for every record; keep it free of I/O.
    ///   - otherwise: What happens to rejected records: `.drop` (counted as filtered) or `.deadLetter(topic)`.
    ///   - name: The stage named in the dead-letter headers and metrics.
    @inlinable
    public func filter(
        _ isIncluded: @escaping (Value) throws -> Bool, otherwise: Rejection = .drop, name: String = "filter"
    ) -> DataFrame<Key, Value> {
        validate({ value in try isIncluded(value) ? nil : "rejected by \(name)" }, otherwise: otherwise, name: name)
    }

    /// Keeps the records that `check` finds no fault with; the returned text is the rejection reason.
    ///
    /// Use it where a dead-lettered record should say *why* it was rejected:
    ///
    ///     ticks.validate({ $0.ask > $0.bid ? nil : "ask \($0.ask) <= bid \($0.bid)" },
    ///                    otherwise: .deadLetter("orderbook.invalid"))
    @inlinable
    public func validate(
        _ check: @escaping (Value) throws -> String?, otherwise: Rejection = .drop, name: String = "validate"
    ) -> DataFrame<Key, Value> {
        if case .deadLetter(let topic) = otherwise {
            app.graph.use(TopicSpec(name: topic, partitions: 1), as: .deadLetter)
        }
        return derive("filter", label: name) { context, next in
            { record in
                guard let reason = try runOperator(name, { try check(record.value) }) else {
                    return try next(record)
                }
                switch otherwise {
                case .drop: context.counters.filtered += 1
                case .deadLetter(let topic): context.deadLetter(to: topic, reason: reason, stage: name)
                }
            }
        }
    }

    /// Splits the stream in two: records for which `predicate` is true, and the rest.
    ///
    ///     let (large, small) = orders.branch { $0.total > 1_000 }
    @inlinable
    public func branch(
        _ predicate: @escaping (Value) throws -> Bool
    ) -> (matching: DataFrame<Key, Value>, rest: DataFrame<Key, Value>) {
        let matching = RecordPort<Key, Value>()
        let rest = RecordPort<Key, Value>()
        let id = app.graph.addNode(kind: "branch", label: "", inputs: [node], store: nil)
        port.subscribe { context in
            let yes = matching.compile(in: context)
            let no = rest.compile(in: context)
            return { record in
                if try runOperator("branch", { try predicate(record.value) }) {
                    try yes(record)
                } else {
                    try no(record)
                }
            }
        }
        return (DataFrame(app: app, port: matching, node: id), DataFrame(app: app, port: rest, node: id))
    }

    /// Interleaves this stream with others of the same types into one frame.
    ///
    ///     let allPrices = spot.merge(futures)
    ///
    /// Records keep their event times; state downstream is shared by partition number, so merged
    /// topics should be co-partitioned (same partition count and key format).
    @inlinable
    public func merge(_ others: DataFrame<Key, Value>...) -> DataFrame<Key, Value> {
        let output = RecordPort<Key, Value>()
        let id = app.graph.addNode(kind: "merge", label: "", inputs: [node] + others.map(\.node), store: nil)
        for input in [self] + others {
            input.port.subscribe { context in output.compile(in: context) }
        }
        return DataFrame(app: app, port: output, node: id)
    }
}
