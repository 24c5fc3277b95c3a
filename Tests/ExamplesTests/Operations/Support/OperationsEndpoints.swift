import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

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
    func get(_ path: String) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession.shared.data(from: baseURL.appendingPathComponent(path))
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Polls `GET path` until it answers `status`; the last answer otherwise.
    @discardableResult
    func wait(for path: String, status: Int, within limit: Duration = .seconds(60)) async throws -> (
        status: Int, body: String
    ) {
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
        let (status, body) = try await get("metrics")
        guard status == 200 else { throw ExampleProcess.Failure(description: "/metrics answered \(status): \(body)") }
        return Self.sum(of: metric, labels, in: body)
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

    /// Parses the Prometheus text format: `name{a="x",b="y"} value` lines (comments and other metrics skipped).
    static func sum(of metric: String, _ labels: [String: String], in text: String) -> Double {
        var total = 0.0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            let series = line[..<space]
            let name = series.prefix { $0 != "{" }
            guard name == metric else { continue }
            var found: [String: String] = [:]
            if let open = series.firstIndex(of: "{"), series.hasSuffix("}") {
                let inner = series[series.index(after: open)..<series.index(before: series.endIndex)]
                for pair in inner.split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    found[String(parts[0])] = String(parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
                }
            }
            if labels.allSatisfy({ found[$0.key] == $0.value }) { total += value }
        }
        return total
    }
}
