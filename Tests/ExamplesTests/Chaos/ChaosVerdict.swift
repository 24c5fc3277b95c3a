import Foundation
import StreamKit

/// The output of one chaos run compared with ``ChaosReference``, sentinel windows left out.
///
/// Exactly-once: every reference window is there exactly once with its exact count and sum, and nothing else.
/// At-least-once: every reference window is there, no emission of it has fewer readings than the reference
/// (a replay may add some, and a window may repeat), and nothing else.
struct ChaosVerdict: CustomStringConvertible {
    /// A record of the output topic, as the worker documents it.
    struct OutputWindow: Decodable {
        var site: String
        var windowStart: Int64
        var windowEnd: Int64
        var count: Int
        var sum: Int
    }

    typealias WindowKey = ChaosReference.WindowKey
    typealias Totals = ChaosReference.Totals

    let exactlyOnce: Bool
    let expectedCount: Int
    let outputCount: Int
    let sentinelOutputs: Int
    let undecodable: Int
    /// Reference windows with no output.
    let missing: [WindowKey]
    /// Exactly-once: windows emitted more than once. At-least-once: noted, not a failure.
    let repeated: [(WindowKey, [Totals])]
    /// Exactly-once: windows with an emission that differs from the reference. At-least-once: windows with an
    /// emission of fewer readings than the reference.
    let wrong: [(WindowKey, expected: Totals, got: [Totals])]
    /// Outputs for windows the reference does not have (or with a window end that is not start + 1 minute).
    let unexpected: [(WindowKey, [Totals])]
    /// At-least-once: windows with an emission of more readings than the reference (replays; allowed).
    let overCounted: Int

    init(outputs: [RawRecord], reference: ChaosReference, exactlyOnce: Bool) {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var emitted: [WindowKey: [Totals]] = [:]
        var malformed: [WindowKey] = []
        var sentinels = 0
        var undecodable = 0
        for record in outputs {
            guard let window = try? decoder.decode(OutputWindow.self, from: Data(record.value ?? [])) else {
                undecodable += 1
                continue
            }
            guard window.windowStart < ChaosInput.sentinelMs - ChaosInput.sentinelMs % ChaosReference.windowMs else {
                sentinels += 1
                continue
            }
            let key = WindowKey(site: window.site, startMs: window.windowStart)
            emitted[key, default: []].append(Totals(count: window.count, sum: window.sum))
            if window.windowEnd != window.windowStart + ChaosReference.windowMs { malformed.append(key) }
        }
        self.exactlyOnce = exactlyOnce
        expectedCount = reference.windows.count
        outputCount = outputs.count
        sentinelOutputs = sentinels
        self.undecodable = undecodable
        missing = reference.windows.keys.filter { emitted[$0] == nil }.sorted()
        repeated = emitted.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        wrong = reference.windows.compactMap { key, expected in
            guard let got = emitted[key] else { return nil }
            let isWrong = exactlyOnce ? got.contains { $0 != expected } : got.contains { $0.count < expected.count }
            return isWrong ? (key, expected, got) : nil
        }.sorted { $0.0 < $1.0 }
        unexpected = emitted.filter { reference.windows[$0.key] == nil || malformed.contains($0.key) }
            .sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        overCounted =
            reference.windows.filter { key, expected in
                emitted[key]?.contains { $0.count > expected.count } ?? false
            }.count
    }

    var isPassing: Bool {
        missing.isEmpty && wrong.isEmpty && unexpected.isEmpty && undecodable == 0 && (!exactlyOnce || repeated.isEmpty)
    }

    var description: String {
        var lines = [
            (isPassing ? "PASS: " : "FAIL: ")
                + "\(outputCount) outputs (\(sentinelOutputs) of sentinel windows) for \(expectedCount) expected windows"
        ]
        func list<Item>(_ title: String, _ items: [Item], _ show: (Item) -> String) {
            guard !items.isEmpty else { return }
            lines.append("  \(title): \(items.count)")
            lines += items.prefix(15).map { "    " + show($0) }
            if items.count > 15 { lines.append("    … \(items.count - 15) more") }
        }
        func totals(_ list: [Totals]) -> String { list.map(\.description).joined(separator: " | ") }
        list("missing windows", missing) { "\($0)" }
        list(exactlyOnce ? "windows with wrong values" : "windows with fewer readings than the reference", wrong) {
            "\($0.0): expected \($0.expected), got \(totals($0.got))"
        }
        list(exactlyOnce ? "windows emitted more than once" : "windows emitted more than once (allowed)", repeated) {
            "\($0.0): \(totals($0.1))"
        }
        list("unexpected windows", unexpected) { "\($0.0): \(totals($0.1))" }
        if undecodable > 0 { lines.append("  undecodable outputs: \(undecodable)") }
        if !exactlyOnce && overCounted > 0 {
            lines.append("  windows over-counted by replays (allowed): \(overCounted)")
        }
        return lines.joined(separator: "\n")
    }
}
