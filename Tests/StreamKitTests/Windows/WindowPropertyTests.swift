import PropertyBased
import Testing

@testable import StreamKit

/// Windowed aggregation compared with a naive reference on random input.
@Suite("Windows against a reference")
struct WindowPropertyTests {
    struct Event: Codable, Hashable, Sendable {
        var key: String
        var time: Int64
        var amount: Int
    }

    /// The reference: every window [start, start + size) per key whose records arrived while it was
    /// open; a record is late when, on arrival, the highest time seen so far is ≥ its window's end + grace.
    static func reference(_ events: [Event], size: Int64, step: Int64, grace: Int64) -> [String: Int] {
        var sums: [String: Int] = [:]
        var watermark = Int64.min
        for e in events {
            watermark = max(watermark, e.time)
            var start = (e.time / step) * step
            while start > e.time - size {
                if start + size + grace > watermark { sums["\(e.key)@\(start)", default: 0] += e.amount }
                start -= step
            }
        }
        return sums
    }

    static let eventGen = zip(Gen.int(in: 0...3), Gen.int64(in: 0...20_000), Gen.int(in: 1...100))
        .map { Event(key: "k\($0)", time: $1, amount: $2) }

    @Test(arguments: [(1_000, 1_000, 0), (1_000, 1_000, 300), (3_000, 1_000, 500)])
    func sumsMatchTheReference(size: Int, step: Int, grace: Int) async {
        await propertyCheck(count: 60, input: Self.eventGen.array(of: 0...80)) { events in
            let app = try! makeApp()
            let input = app.topic("events", key: String.self, value: Event.self, format: .json)
            let sums = app.topic("sums", key: String.self, value: WindowResult<String, Int>.self, format: .json)
            app.dataframe(input).eventTime(\.time)
                .hoppingWindow(.milliseconds(size), every: .milliseconds(step), grace: .milliseconds(grace))
                .sum(\.amount).final().to(sums)
            let h = try! PipelineHarness(app)
            try! h.send(input, events, key: \.key, timestamp: { .at(.milliseconds($0.time)) })
            try! h.advanceWatermark(to: .at(.seconds(1_000)))
            var actual: [String: Int] = [:]
            for result in try! h.values(in: sums) {
                #expect(actual["\(result.key)@\(result.start.milliseconds)"] == nil, "one final result per window")
                actual["\(result.key)@\(result.start.milliseconds)"] = result.value
            }
            #expect(actual == Self.reference(events, size: Int64(size), step: Int64(step), grace: Int64(grace)))
        }
    }
}
