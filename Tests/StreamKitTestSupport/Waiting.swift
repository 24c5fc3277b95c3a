/// A condition that did not come true within its bound.
package struct WaitTimedOut: Error, CustomStringConvertible {
    package var what: String
    package var limit: Duration

    package var description: String { "timed out after \(limit) waiting for \(what)" }
}

/// Checks `condition` every `interval` until it holds; throws `WaitTimedOut` naming `what` after `limit`. The
/// limit is a bound against hanging, not an assumption about how fast anything is.
///
///     try await waitUntil("the first instance to commit") { try await committed() > 0 }
///
/// - Parameter interval: Checks that ask a broker or a server something want a longer one than the default.
package func waitUntil(
    _ what: String, within limit: Duration = .seconds(40), every interval: Duration = .milliseconds(10),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimedOut(what: what, limit: limit) }
        try await Task.sleep(for: interval)
    }
}
