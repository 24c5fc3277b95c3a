import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The `order-analytics gateway` executable running as a separate process on a free port, and an HTTP client
/// for it.
final class GatewayClient: Sendable {
    let process: ExampleProcess
    let baseURL: URL

    /// Starts the gateway with `arguments` (topics, format…) and waits until it listens.
    init(_ arguments: [String]) async throws {
        process = try ExampleProcess("order-analytics", ["gateway", "--port", "0"] + arguments)
        let marker = "gateway listening on "
        try await process.waitForOutput(marker)
        let line = process.stdout.split(separator: "\n").first { $0.hasPrefix(marker) } ?? ""
        guard let url = URL(string: String(line.dropFirst(marker.count))) else {
            throw ExampleProcess.Failure(description: "no URL in '\(line)'\n\(process.outputSummary)")
        }
        baseURL = url
    }

    /// The status and the decoded JSON object of a request to `path`.
    func send(_ path: String, method: String = "POST", body: Data = Data()) async throws -> (
        status: Int, json: [String: Any]
    ) {
        var request = URLRequest(url: baseURL.appendingPathComponent(path))
        request.httpMethod = method
        if method == "POST" {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let json = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, json)
    }

    /// Posts a body given as text.
    func post(_ path: String, _ text: String) async throws -> (status: Int, json: [String: Any]) {
        try await send(path, body: Data(text.utf8))
    }

    /// Posts an order.
    func post(_ order: TestOrder) async throws -> (status: Int, json: [String: Any]) {
        try await send("api/v1/orders", body: order.json)
    }

    /// Stops the gateway with SIGTERM (a graceful shutdown) and requires exit code 0.
    func stop() async throws {
        process.send(SIGTERM)
        try await process.expectSuccess(within: .seconds(30))
    }
}
