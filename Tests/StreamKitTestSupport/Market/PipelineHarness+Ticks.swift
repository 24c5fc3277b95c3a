import StreamKit

extension PipelineHarness {
    /// Sends ticks keyed by symbol, timed by their event time.
    package func send(_ topic: Topic<String, Tick>, _ ticks: [Tick]) throws {
        try send(topic, ticks, key: \.symbol, timestamp: { EventTime(milliseconds: $0.tsEventMs) })
    }
}
