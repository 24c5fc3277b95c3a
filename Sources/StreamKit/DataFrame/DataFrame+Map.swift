extension DataFrame {
    /// Transforms each value; key, timestamp and headers stay.
    ///
    ///     ticks.map { ($0.bid + $0.ask) / 2 }
    ///
    /// - Parameter transform: Runs on the hot path for every record; keep it free of I/O. A thrown error
    ///   follows the app's processing error policy.
    @inlinable
    public func map<NewValue>(_ transform: @escaping (Value) throws -> NewValue) -> DataFrame<Key, NewValue> {
        derive("map") { _, next in
            { record in
                let value = try runOperator("map") { try transform(record.value) }
                try next(record.withValue(value))
            }
        }
    }

    /// Transforms each record, with access to its key and event time.
    ///
    ///     orders.mapRecord { "\($0.key):\($0.value.total)" }
    @inlinable
    public func mapRecord<NewValue>(
        _ transform: @escaping (StreamRecord<Key, Value>) throws -> NewValue
    ) -> DataFrame<Key, NewValue> {
        derive("map") { _, next in
            { record in
                let value = try runOperator("map") { try transform(record) }
                try next(record.withValue(value))
            }
        }
    }

    /// Transforms each value and drops the records for which `transform` returns `nil` (counted as filtered).
    ///
    ///     lines.compactMap { Double($0) }
    @inlinable
    public func compactMap<NewValue>(
        _ transform: @escaping (Value) throws -> NewValue?
    ) -> DataFrame<Key, NewValue> {
        derive("compactMap") { context, next in
            { record in
                if let value = try runOperator("compactMap", { try transform(record.value) }) {
                    try next(record.withValue(value))
                } else {
                    context.counters.filtered += 1
                }
            }
        }
    }

    /// Turns each value into zero or more values, each a record with the same key and time.
    ///
    ///     orders.flatMap { $0.items }          // one record per order line
    @inlinable
    public func flatMap<Values: Sequence>(
        _ transform: @escaping (Value) throws -> Values
    ) -> DataFrame<Key, Values.Element> {
        derive("flatMap") { _, next in
            { record in
                for value in try runOperator("flatMap", { try transform(record.value) }) {
                    try next(record.withValue(value))
                }
            }
        }
    }

    /// Calls `body` for each record and passes it on unchanged (logging, debugging, metrics).
    ///
    ///     ticks.peek { print($0) }
    @inlinable
    public func peek(_ body: @escaping (StreamRecord<Key, Value>) throws -> Void) -> DataFrame<Key, Value> {
        derive("peek") { _, next in
            { record in
                try runOperator("peek") { try body(record) }
                try next(record)
            }
        }
    }

    /// Mutates each value in place and passes it on.
    ///
    ///     ticks.update { $0.symbol = $0.symbol.uppercased() }
    @inlinable
    public func update(_ body: @escaping (inout Value) throws -> Void) -> DataFrame<Key, Value> {
        derive("update") { _, next in
            { record in
                var record = record
                try runOperator("update") { try body(&record.value) }
                try next(record)
            }
        }
    }

    /// Sets each record's event time from its value, for windows, and moves the watermark with it.
    ///
    ///     ticks.eventTime(\.tsEventMs)
    ///
    /// Without it, the event time is the broker's record timestamp.
    @inlinable
    public func eventTime(_ milliseconds: @escaping (Value) -> Int64) -> DataFrame<Key, Value> {
        derive("eventTime") { _, next in
            { record in
                var record = record
                record.timestamp = EventTime(milliseconds: milliseconds(record.value))
                try next(record)
            }
        }
    }

    /// Sets each record's event time from a field holding milliseconds since the epoch.
    @inlinable
    public func eventTime(_ keyPath: KeyPath<Value, Int64> & Sendable) -> DataFrame<Key, Value> {
        eventTime { $0[keyPath: keyPath] }
    }
}
