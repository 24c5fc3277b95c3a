import Foundation
import StreamKitTestSupport

/// The operations endpoints of an example process started with `--metrics-port 0`: found from the address it
/// prints, and read over HTTP.
struct OperationsEndpoints: Sendable {
    let baseURL: URL

    /// Waits until `process` prints `operations: http://127.0.0.1:PORT (/metrics /health /ready)`.
    init(of process: ExampleProcess) async throws {
        let marker = "operations: "
        try await process.waitForOutput(marker)
        let line = process.stdout.split(separator: "\n").first { $0.hasPrefix(marker) } ?? ""
        let address = line.dropFirst(marker.count).split(separator: " ").first.map(String.init) ?? ""
        guard let url = URL(string: address), url.port.map({ $0 > 0 }) == true,
            line.hasSuffix("(/metrics /health /ready)")
        else {
            throw ExampleProcess.Failure(description: "no operations address in '\(line)'\n\(process.outputSummary)")
        }
        baseURL = url
    }

    /// The status code and body of `GET path`.
    func get(_ path: String) async throws -> HTTPAnswer {
        try await httpGet(baseURL.appendingPathComponent(path))
    }

    /// Polls `GET path` until it answers `status`; the last answer otherwise.
    @discardableResult
    func wait(for path: String, status: Int, within limit: Duration = .seconds(60)) async throws -> HTTPAnswer {
        let deadline = ContinuousClock.now + limit
        var answer = try await get(path)
        while answer.status != status, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            answer = try await get(path)
        }
        return answer
    }

    /// The sum of the samples of `metric` in `/metrics` whose labels include `labels`.
    private func sample(_ metric: String, _ labels: [String: String] = [:]) async throws -> Double {
        let answer = try await get("metrics")
        guard answer.status == 200 else {
            throw ExampleProcess.Failure(description: "/metrics answered \(answer.status): \(answer.body)")
        }
        return PrometheusSamples(answer.body).sum(metric, labels)
    }

    /// Polls `metric` (summed over samples matching `labels`) until it equals `expected`; the last value otherwise.
    func wait(
        for metric: String, _ labels: [String: String], toReach expected: Double, within limit: Duration = .seconds(60)
    )
        async throws -> Double
    {
        let deadline = ContinuousClock.now + limit
        var value = try await sample(metric, labels)
        while value != expected, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            value = try await sample(metric, labels)
        }
        return value
    }
}
