import StreamKit

/// One closed window of the chaos output topic:
/// `{"site", "window_start", "window_end", "count", "sum"}` on the wire, times in milliseconds since the epoch.
struct SiteWindow: Codable, Sendable {
    var site: String
    var windowStart: Int64
    var windowEnd: Int64
    var count: Int
    var sum: Int

    init(_ result: WindowResult<String, SiteTotals>) {
        site = result.key
        windowStart = result.start.milliseconds
        windowEnd = result.end.milliseconds
        count = result.value.count
        sum = result.value.sum
    }
}
