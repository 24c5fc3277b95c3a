/// A condition that did not come true within its bound.
struct WaitTimedOut: Error, CustomStringConvertible {
    var description: String { "the awaited condition did not come true in time" }
}

/// Checks `condition` every 5 ms until it holds. The timeout is a bound against hanging, not an assumption
/// about how fast anything is.
func waitUntil(timeout: Duration = .seconds(30), _ condition: () throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimedOut() }
        try await Task.sleep(for: .milliseconds(5))
    }
}
