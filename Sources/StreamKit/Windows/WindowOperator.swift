/// The windowed aggregation of one partition task: assigns records to windows, folds them, closes
/// windows by watermark or idle time, and routes late records.
@usableFromInline
final class WindowOperator<Key: StreamKey, Value, Aggregator: StreamAggregator> where Aggregator.Input == Value {
    @usableFromInline
    typealias Result = WindowResult<Key, Aggregator.Output>

    @usableFromInline
    let name: String
    @usableFromInline
    let spec: WindowSpec
    @usableFromInline
    let bounds: WindowBounds
    @usableFromInline
    let aggregator: Aggregator
    @usableFromInline
    let store: WindowStore<Key, Aggregator.State>
    @usableFromInline
    unowned let context: PartitionContext
    @usableFromInline
    let final: RecordPort<Key, Result>.Push
    @usableFromInline
    let current: RecordPort<Key, Result>.Push?
    @usableFromInline
    let late: RecordPort<Key, LateRecord<Value>>.Push
    /// Wall time of the last record, for idle closing.
    @usableFromInline
    @exclusivity(unchecked) var lastActivity: Duration = .zero
    /// The repartition topic whose stream time (the least watermark of its upstreams) moves this window's
    /// watermark, or `nil` when the window reads an input topic and its records' event times move it.
    @usableFromInline
    let clockTopic: String?

    @inlinable
    init(
        name: String, spec: WindowSpec, aggregator: Aggregator, context: PartitionContext,
        final: @escaping RecordPort<Key, Result>.Push, current: RecordPort<Key, Result>.Push?,
        late: @escaping RecordPort<Key, LateRecord<Value>>.Push
    ) {
        self.name = name
        self.spec = spec
        self.bounds = WindowBounds(spec)
        self.aggregator = aggregator
        self.store = WindowStore(name: name)
        self.context = context
        self.final = final
        self.current = current
        self.late = late
        clockTopic = context.compilingClockTopic
        // The upstream watermarks heard so far go into this store's changelog, so that the task that reads the
        // partition next (after a rebalance or a restart) knows them without hearing from every upstream again.
        if let clockTopic { store.clock = context.upstreamClock(for: clockTopic) }
        context.register(store)
        context.onTime { signal in try self.on(signal) }
    }

    /// The per-record function.
    @inlinable
    var push: RecordPort<Key, Value>.Push {
        { record in try self.process(record) }
    }

    @inlinable
    func process(_ record: StreamRecord<Key, Value>) throws {
        let t = record.timestamp.milliseconds
        context.noteInputTime(record.timestamp)
        if clockTopic == nil, t > store.watermark { store.watermark = t }
        lastActivity = context.wallTime
        let watermark = store.watermark
        try bounds.forEachStart(containing: t) { start in
            if bounds.isClosed(start: start, at: watermark) {
                context.counters.countLate(window: name, lateness: watermark &- t)
                try late(
                    record.withValue(
                        LateRecord(
                            value: record.value, timestamp: record.timestamp,
                            windowStart: EventTime(milliseconds: start),
                            watermark: EventTime(milliseconds: watermark))))
                return
            }
            let state = store.update(start: start, key: record.key, initial: aggregator.initialState) {
                aggregator.add(record.value, to: &$0)
            }
            if let current {
                try current(result(key: record.key, start: start, state: state, record: record))
            }
        }
        try closeWindows(upTo: watermark)
    }

    /// Emits and removes every window whose end + grace is at most `watermark`.
    @inlinable
    func closeWindows(upTo watermark: Int64) throws {
        while let start = store.earliestStart, bounds.isClosed(start: start, at: watermark) {
            try emitFinal(store.popFirstBucket())
        }
    }

    @inlinable
    func emitFinal(_ bucket: WindowStore<Key, Aggregator.State>.Bucket) throws {
        for i in bucket.keys.indices {
            let key = bucket.keys[i]
            let value = WindowResult(
                key: key, start: EventTime(milliseconds: bucket.start),
                end: EventTime(milliseconds: bucket.start + bounds.size), value: aggregator.output(of: bucket.states[i])
            )
            try final(StreamRecord(key: key, value: value, timestamp: EventTime(milliseconds: bucket.start)))
        }
    }

    @inline(__always)
    @inlinable
    func result(
        key: Key, start: Int64, state: Aggregator.State, record: StreamRecord<Key, Value>
    ) -> StreamRecord<Key, Result> {
        let value = WindowResult(
            key: key, start: EventTime(milliseconds: start), end: EventTime(milliseconds: start + bounds.size),
            value: aggregator.output(of: state))
        return StreamRecord(
            key: key, value: value, timestamp: record.timestamp, headers: record.headers, position: record.position)
    }

    @inlinable
    func on(_ signal: TimeSignal) throws {
        switch signal {
        case .watermark(let time):
            if time.milliseconds > store.watermark { store.watermark = time.milliseconds }
            try closeWindows(upTo: store.watermark)
        case .endOfInput:
            while store.earliestStart != nil { try emitFinal(store.popFirstBucket()) }
        case .streamTime(let topic, let time):
            guard topic == clockTopic, time.milliseconds > store.watermark else { return }
            store.watermark = time.milliseconds
            try closeWindows(upTo: store.watermark)
        case .wallClock(let now):
            guard let idleTimeout = spec.idleTimeout, store.earliestStart != nil,
                now - lastActivity >= idleTimeout
            else { return }
            // Close everything open, and move the watermark past the last closed window so that a
            // record for it arriving later counts as late rather than reopening it.
            while let start = store.earliestStart {
                store.watermark = Swift.max(store.watermark, start &+ bounds.size &+ bounds.grace)
                try emitFinal(store.popFirstBucket())
            }
        }
    }
}
