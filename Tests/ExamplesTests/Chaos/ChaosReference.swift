import Foundation

/// The chaos pipeline's expected output computed naively from the generated readings: per site and 1-minute
/// window `[floor(ts / 60 000) · 60 000, +60 000)`, the number of readings and the sum of their values. Shares
/// no code with the worker.
struct ChaosReference {
    /// A window of one site, by its start.
    struct WindowKey: Hashable, Comparable, CustomStringConvertible {
        var site: String
        var startMs: Int64

        static func < (a: WindowKey, b: WindowKey) -> Bool { (a.startMs, a.site) < (b.startMs, b.site) }

        var description: String {
            "\(site)@\(Date(timeIntervalSince1970: Double(startMs) / 1_000).ISO8601Format())"
        }
    }

    /// A window's count of readings and sum of values.
    struct Totals: Hashable, CustomStringConvertible {
        var count: Int
        var sum: Int

        var description: String { "count \(count) sum \(sum)" }
    }

    static let windowMs: Int64 = 60_000

    let windows: [WindowKey: Totals]

    init(_ readings: [ChaosInput.Reading]) {
        var windows: [WindowKey: Totals] = [:]
        for reading in readings {
            let key = WindowKey(site: reading.site, startMs: reading.tsMs - reading.tsMs % Self.windowMs)
            var totals = windows[key] ?? Totals(count: 0, sum: 0)
            totals.count += 1
            totals.sum += reading.value
            windows[key] = totals
        }
        self.windows = windows
    }
}
