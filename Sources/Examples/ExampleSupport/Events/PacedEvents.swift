import Foundation

/// A generator's events as an async sequence: `count` of them (or endless), `rate` per second (or as fast as
/// they are taken), each stamped with the wall-clock time it is made.
///
/// Records need current timestamps: brokers apply retention by record time, and the events are the records'
/// event time.
package struct PacedEvents<Generator: EventGenerator>: AsyncSequence, Sendable {
    package typealias Element = Generator.Event

    package let generator: Generator
    /// How many events, or `nil` for no end.
    package let count: Int?
    /// Events per second; `0` for as fast as the consumer of the sequence takes them.
    package let rate: Double

    /// `count` events (`nil`: no end) from `generator`, `rate` per second (`0`: unpaced).
    package init(generator: Generator, count: Int?, rate: Double) {
        self.generator = generator
        self.count = count
        self.rate = rate
    }

    package struct AsyncIterator: AsyncIteratorProtocol {
        var generator: Generator
        let count: Int?
        let interval: Duration?
        var produced = 0
        var start: ContinuousClock.Instant?

        package mutating func next() async -> Generator.Event? {
            if let count, produced >= count { return nil }
            if let interval {
                let start = self.start ?? .now
                self.start = start
                // Deadlines from the start, not sleeps between events, so the rate does not drift.
                do {
                    try await ContinuousClock().sleep(until: start + interval * produced)
                } catch {
                    return nil  // cancelled: the sequence ends
                }
            }
            produced += 1
            return generator.next(timestampMs: Int64((Date().timeIntervalSince1970 * 1_000).rounded()))
        }
    }

    package func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(generator: generator, count: count, interval: rate > 0 ? .seconds(1 / rate) : nil)
    }
}
