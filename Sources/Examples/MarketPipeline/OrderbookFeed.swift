import StreamKit

/// Produces a simulated orderbook feed to the raw topic: paced in real time, or a fixed count as fast as
/// possible.
struct OrderbookFeed {
    let broker: any StreamBroker
    let topic: String
    let partitions: Int
    let intervalMs: Int
    var simulator: OrderbookSimulator

    /// Creates the topic when missing, then produces `count` ticks as fast as possible, their event times
    /// `intervalMs` apart per symbol and ending now.
    mutating func produce(count: Int) async throws {
        let producer = try await start()
        let symbolCount = simulator.symbols.count
        let rounds = Int64((count + symbolCount - 1) / symbolCount)
        let start = EventTime.now.milliseconds - rounds * Int64(intervalMs)
        for index in 0..<count {
            let round = Int64(index / symbolCount)
            let offset = Int64(index % symbolCount * intervalMs / symbolCount)
            let time = start + round * Int64(intervalMs) + offset
            for record in try simulator.records(forSymbolAt: index % symbolCount, eventTimeMs: time, topic: topic) {
                try producer.send(record)
            }
            if index % 50_000 == 49_999 { try await producer.flush() }
        }
        try await producer.close()
    }

    /// Creates the topic when missing, then produces one tick per symbol every `intervalMs`, stamped with the
    /// current time, until `duration` has passed or the task is cancelled.
    mutating func producePaced(for duration: Duration?) async throws {
        let producer = try await start()
        let clock = ContinuousClock()
        let deadline = duration.map { clock.now + $0 }
        var next = clock.now
        var lastFlush = clock.now
        do {
            while deadline.map({ clock.now < $0 }) ?? true {
                let time = EventTime.now.milliseconds
                for index in simulator.symbols.indices {
                    for record in try simulator.records(forSymbolAt: index, eventTimeMs: time, topic: topic) {
                        try producer.send(record)
                    }
                }
                if lastFlush.duration(to: clock.now) >= .milliseconds(100) {
                    try await producer.flush()
                    lastFlush = clock.now
                }
                next += .milliseconds(intervalMs)
                try await clock.sleep(until: next)
            }
        } catch is CancellationError {
            // Cancellation is how a paced feed without --duration stops; what was produced is flushed below.
        }
        try await producer.close()
    }

    private func start() async throws -> any BrokerProducer {
        try await broker.createTopics([TopicSpec(name: topic, partitions: partitions)])
        return try await broker.makeProducer(transactionalID: nil)
    }
}
