import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What an HTTP GET returned.
struct HTTPAnswer: Sendable {
    var status: Int
    var contentType: String?
    var body: String
}

/// GETs `path` from a server on this machine over a real TCP connection, with nothing cached.
func httpGet(_ path: String, port: Int) async throws -> HTTPAnswer {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    let session = URLSession(configuration: configuration)
    defer { session.finishTasksAndInvalidate() }
    let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
    let (data, response) = try await session.data(from: url)
    let http = try #require(response as? HTTPURLResponse)
    return HTTPAnswer(
        status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"),
        body: String(decoding: data, as: UTF8.self))
}
