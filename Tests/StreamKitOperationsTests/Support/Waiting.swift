/// A condition that did not come true within its bound.
struct WaitTimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Checks `condition` every 10 ms until it holds. The limit is a bound against hanging, not an assumption about
/// how fast anything is.
func waitUntil(
    _ what: String, within limit: Duration = .seconds(40), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimedOut(what: what) }
        try await Task.sleep(for: .milliseconds(10))
    }
}
