extension DataFrame {
    /// Runs a per-key state machine: `body` gets the key's state (starting at `initial`) and the record,
    /// may change the state, and returns a value to emit or `nil`.
    ///
    /// State lives per (operator, partition), is written to `<app>-<name>-changelog` at checkpoints and
    /// restored when the partition is assigned again.
    ///
    ///     ticks.stateful(name: "gaps", initial: Int64(0)) { last, tick in
    ///         defer { last = tick.sequence }
    ///         return tick.sequence > last + 1 ? Gap(from: last, to: tick.sequence) : nil
    ///     }
    @inlinable
    public func stateful<State: Codable, Output>(
        name: String, initial: State,
        _ body: @escaping (_ state: inout State, _ record: StreamRecord<Key, Value>) throws -> Output?
    ) -> DataFrame<Key, Output> {
        statefulStage(kind: "stateful", name: name, layout: "\(Key.self) -> \(State.self)", initial: initial, body)
    }

    /// Runs an aggregator per key over the whole stream and emits its output after every record.
    ///
    ///     ticks.runningAggregate(ZScore { $0.mid })      // z-score of each mid against that symbol's history
    @inlinable
    public func runningAggregate<Aggregator: StreamAggregator>(
        _ aggregator: Aggregator, name: String? = nil
    ) -> DataFrame<Key, Aggregator.Output> where Aggregator.Input == Value {
        let storeName = name ?? app.graph.nextName(for: "running")
        return statefulStage(
            kind: "running", name: storeName, layout: "\(Key.self) -> \(Aggregator.State.self)",
            initial: aggregator.initialState
        ) { state, record in
            aggregator.add(record.value, to: &state)
            return aggregator.output(of: state)
        }
    }

    /// Drops records whose id was already seen for the same key within `window` of event time.
    ///
    ///     ticks.dedupe(by: \.sequence, within: .seconds(300))
    @inlinable
    public func dedupe<ID: Hashable & Codable>(
        by id: @escaping (Value) -> ID, within window: Duration, name: String? = nil
    ) -> DataFrame<Key, Value> {
        let storeName = name ?? app.graph.nextName(for: "dedupe")
        let windowMs = window.wholeMilliseconds
        return statefulStage(
            kind: "dedupe", name: storeName, layout: "\(Key.self) -> \(ID.self)", initial: DedupeState<ID>()
        ) { state, record in
            let t = record.timestamp.milliseconds
            let recordID = id(record.value)
            if let seen = state.seen[recordID], t - seen < windowMs { return nil }
            state.seen[recordID] = t
            if state.seen.count > 64 && state.seen.count.isMultiple(of: 64) {
                state.seen = state.seen.filter { t - $0.value < windowMs }
            }
            return record.value
        }
    }

    @inlinable
    func statefulStage<State: Codable, Output>(
        kind: String, name: String, layout: String, initial: State,
        _ body: @escaping (inout State, StreamRecord<Key, Value>) throws -> Output?
    ) -> DataFrame<Key, Output> {
        app.graph.use(
            TopicSpec(name: changelogTopicName(app: app.name, store: name), partitions: 1, configs: compactConfig),
            as: .changelog)
        return derive(kind, label: name, store: StoreDescription(name: name, kind: kind, layout: layout)) {
            context, next in
            let store = KeyValueStore<Key, State>(name: name)
            context.register(store)
            return { record in
                let output = try runOperator(name) {
                    try store.update(record.key, default: initial) { state in try body(&state, record) }
                }
                if let output { try next(record.withValue(output)) } else { context.counters.filtered += 1 }
            }
        }
    }
}

/// The ids a dedupe operator has seen for one key, with their event times.
@usableFromInline
struct DedupeState<ID: Hashable & Codable>: Codable {
    @inlinable
    init() {}

    @usableFromInline
    var seen: [ID: Int64] = [:]
}
