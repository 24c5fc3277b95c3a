import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What an HTTP GET returned.
package struct HTTPAnswer: Sendable {
    package var status: Int
    package var contentType: String?
    package var body: String
}

/// GETs `path` (starting with `/`) from a server on this machine's loopback address.
package func httpGet(_ path: String, port: Int) async throws -> HTTPAnswer {
    try await httpGet(try #require(URL(string: "http://127.0.0.1:\(port)\(path)")))
}

/// GETs `url` over a real TCP connection, with nothing cached.
package func httpGet(_ url: URL) async throws -> HTTPAnswer {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    let session = URLSession(configuration: configuration)
    defer { session.finishTasksAndInvalidate() }
    let (data, response) = try await session.data(from: url)
    let http = try #require(response as? HTTPURLResponse)
    return HTTPAnswer(
        status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"),
        body: String(decoding: data, as: UTF8.self))
}
