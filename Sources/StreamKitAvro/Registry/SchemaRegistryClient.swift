import Dispatch
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A client of the Confluent Schema Registry REST API, with the caches that keep it off the hot path.
///
/// Schemas fetched by id and ids of registered schemas are cached for the client's lifetime (registry ids
/// are immutable), so an `.avro` topic makes one request per schema, not per record.
///
/// **Blocking.** `Serde.deserialize` is synchronous, so the first record carrying an id not in the cache
/// fetches it with a blocking request: the calling thread waits (up to `timeout`) while URLSession runs the
/// request on its own threads. That happens once per id, and once per schema for the first `serialize`.
/// To keep even that off a pipeline, call `prefetch(ids:)` or `register(_:subject:)` (async) at startup.
/// An id the registry does not know is remembered as missing for 30 s, so a stream of corrupt ids makes
/// at most one request per id per 30 s.
///
///     let registry = try SchemaRegistryClient(url: "https://registry:8081", credentials: .init(username: "u", password: p))
///     let id = try await registry.register(orderSchema, subject: "order_events-value")
public final class SchemaRegistryClient: Sendable {
    /// Basic-auth credentials; the password is sent only in the `Authorization` header and never logged
    /// or included in errors.
    public struct Credentials: Sendable {
        /// The user name (Confluent Cloud: the API key).
        public var username: String
        /// The password (Confluent Cloud: the API secret).
        public var password: String

        /// Makes credentials.
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    /// How the connection must be protected.
    public enum TransportSecurity: Sendable {
        /// `https` URLs use TLS with certificates verified against the system trust store; `http` is allowed,
        /// but credentials travel over `http` only to a loopback host.
        case verifiedTLSWhenHTTPS
        /// Only `https` URLs are accepted (certificates verified against the system trust store).
        case requireTLS
    }

    /// One version of a subject, as the registry returns it.
    public struct RegisteredSchema: Sendable {
        /// The subject (`order_events-value`).
        public var subject: String
        /// The version within the subject, from 1.
        public var version: Int
        /// The global schema id written in the wire format.
        public var id: Int32
        /// The schema.
        public var schema: AvroSchema
    }

    /// The registry's base URL, without credentials.
    public let baseURL: URL
    private let authorization: String?
    private let timeout: Duration
    private let session: URLSession
    private let cache = Mutex(Cache())

    private struct Cache {
        var schemas: [Int32: AvroSchema] = [:]
        var ids: [String: Int32] = [:]
        var missing: [Int32: ContinuousClock.Instant] = [:]
    }

    /// Makes a client; no request is made until one is needed.
    ///
    /// - Throws: `SchemaRegistryError.configuration` when the URL is not `http(s)://host[:port]`, when TLS is
    ///   required and the URL is `http`, or when credentials would be sent over `http` to a non-loopback host.
    public init(
        url: String, credentials: Credentials? = nil, security: TransportSecurity = .verifiedTLSWhenHTTPS,
        timeout: Duration = .seconds(10)
    ) throws(SchemaRegistryError) {
        func invalid(_ message: String) -> SchemaRegistryError {
            SchemaRegistryError(code: .configuration, operation: "configure", message: message)
        }
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
            ["http", "https"].contains(scheme),
            let host = parsed.host, parsed.user == nil, parsed.password == nil
        else {
            throw invalid("url must be http(s)://host[:port] without credentials in it; pass credentials: instead")
        }
        if security == .requireTLS, scheme != "https" {
            throw invalid("security is .requireTLS but the url is http; use an https url")
        }
        if credentials != nil, scheme == "http", !["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) {
            throw invalid("credentials would be sent unencrypted to \(host); use an https url")
        }
        baseURL = parsed
        authorization = credentials.map { "Basic " + Data("\($0.username):\($0.password)".utf8).base64EncodedString() }
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) * 1e-18
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds
        session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    // MARK: - Registry operations

    /// Registers `schema` under `subject` (or finds it there) and returns its global id.
    ///
    /// Idempotent: registering the same schema again returns the same id. Cached per subject and schema.
    public func register(_ schema: AvroSchema, subject: String) async throws(SchemaRegistryError) -> Int32 {
        if let id = cachedID(schema, subject: subject) { return id }
        return try remember(await send(Self.registerRequest(schema, subject: subject)), schema, subject)
    }

    /// The schema with a global id, from the cache or the registry.
    public func schema(id: Int32) async throws(SchemaRegistryError) -> AvroSchema {
        if let schema = cached(id: id) { return schema }
        return try rememberSchema(await send(Self.schemaRequest(id: id)), id: id)
    }

    /// The latest version of a subject (always asks the registry).
    public func latestVersion(subject: String) async throws(SchemaRegistryError) -> RegisteredSchema {
        let request = Self.latestRequest(subject: subject)
        let body: SubjectVersionBody = try decode(await send(request), request)
        let schema = try parse(body.schema, request)
        cache.withLock { $0.schemas[body.id] = $0.schemas[body.id] ?? schema }
        return RegisteredSchema(subject: body.subject, version: body.version, id: body.id, schema: schema)
    }

    /// Whether `schema` is compatible with the latest version of `subject`, under the subject's configured
    /// compatibility level (BACKWARD by default: new readers can read old data).
    public func isCompatible(_ schema: AvroSchema, subject: String) async throws(SchemaRegistryError) -> Bool {
        let request = Self.compatibilityRequest(schema, subject: subject)
        let body: CompatibilityBody = try decode(await send(request), request)
        return body.is_compatible
    }

    /// Fetches schemas by id into the cache, so the first records carrying them do not block.
    public func prefetch(ids: [Int32]) async throws(SchemaRegistryError) {
        for id in ids { _ = try await schema(id: id) }
    }

    // MARK: - Synchronous paths for the serde

    /// The schema for an id, fetched with a blocking request on a cache miss (see the type's notes).
    func schemaBlocking(id: Int32) throws(SchemaRegistryError) -> AvroSchema {
        if let schema = cached(id: id) { return schema }
        let now = ContinuousClock.now
        if let since = cache.withLock({ $0.missing[id] }), now - since < .seconds(30) {
            throw SchemaRegistryError(
                code: .registry, operation: "GET /schemas/ids/\(id)", httpStatus: 404,
                message: "schema id \(id) not found (remembered from a lookup \(now - since) ago)")
        }
        do {
            return try rememberSchema(try sendBlocking(Self.schemaRequest(id: id)), id: id)
        } catch {
            if error.isNotFound { cache.withLock { $0.missing[id] = now } }
            throw error
        }
    }

    /// The id of `schema` under `subject`, registering it with a blocking request on a cache miss.
    func idBlocking(_ schema: AvroSchema, subject: String) throws(SchemaRegistryError) -> Int32 {
        if let id = cachedID(schema, subject: subject) { return id }
        return try remember(try sendBlocking(Self.registerRequest(schema, subject: subject)), schema, subject)
    }

    // MARK: - Caches

    private func cached(id: Int32) -> AvroSchema? { cache.withLock { $0.schemas[id] } }

    private func cachedID(_ schema: AvroSchema, subject: String) -> Int32? {
        cache.withLock { $0.ids[subject + "\u{0}" + schema.json] }
    }

    private func remember(_ response: Response, _ schema: AvroSchema, _ subject: String) throws(SchemaRegistryError)
        -> Int32
    {
        let body: IDBody = try decode(response, response.request)
        cache.withLock { cache in
            cache.ids[subject + "\u{0}" + schema.json] = body.id
            cache.schemas[body.id] = cache.schemas[body.id] ?? schema
        }
        return body.id
    }

    private func rememberSchema(_ response: Response, id: Int32) throws(SchemaRegistryError) -> AvroSchema {
        let body: SchemaBody = try decode(response, response.request)
        let schema = try parse(body.schema, response.request)
        return cache.withLock { cache in
            if let existing = cache.schemas[id] { return existing }
            cache.schemas[id] = schema
            return schema
        }
    }

    private func parse(_ json: String, _ request: Request) throws(SchemaRegistryError) -> AvroSchema {
        do {
            return try AvroSchema(json: json)
        } catch {
            throw SchemaRegistryError(
                code: .invalidResponse, operation: request.operation,
                message: "the registry's schema is not usable: \(error)")
        }
    }

    // MARK: - HTTP

    struct Request: Sendable {
        var method: String
        var path: String
        var body: Data?
        var operation: String { "\(method) \(path)" }
    }

    struct Response: Sendable {
        var request: Request
        var status: Int
        var body: Data
    }

    private struct IDBody: Decodable { var id: Int32 }
    private struct SchemaBody: Decodable { var schema: String }
    private struct SubjectVersionBody: Decodable {
        var subject: String; var version: Int; var id: Int32; var schema: String
    }
    private struct CompatibilityBody: Decodable { var is_compatible: Bool }
    private struct ErrorBody: Decodable { var error_code: Int?; var message: String? }

    private static func subjectPath(_ subject: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/")
        return subject.addingPercentEncoding(withAllowedCharacters: allowed) ?? subject
    }

    private static func schemaBody(_ schema: AvroSchema) -> Data {
        (try? JSONEncoder().encode(["schema": schema.json])) ?? Data()
    }

    static func registerRequest(_ schema: AvroSchema, subject: String) -> Request {
        Request(method: "POST", path: "/subjects/\(subjectPath(subject))/versions", body: schemaBody(schema))
    }

    static func schemaRequest(id: Int32) -> Request { Request(method: "GET", path: "/schemas/ids/\(id)") }

    static func latestRequest(subject: String) -> Request {
        Request(method: "GET", path: "/subjects/\(subjectPath(subject))/versions/latest")
    }

    static func compatibilityRequest(_ schema: AvroSchema, subject: String) -> Request {
        Request(
            method: "POST", path: "/compatibility/subjects/\(subjectPath(subject))/versions/latest",
            body: schemaBody(schema))
    }

    private func urlRequest(_ request: Request) -> URLRequest {
        var url = baseURL.absoluteString
        while url.hasSuffix("/") { url.removeLast() }
        var urlRequest = URLRequest(url: URL(string: url + request.path)!)
        urlRequest.httpMethod = request.method
        urlRequest.httpBody = request.body
        urlRequest.setValue("application/vnd.schemaregistry.v1+json", forHTTPHeaderField: "Accept")
        if request.body != nil {
            urlRequest.setValue("application/vnd.schemaregistry.v1+json", forHTTPHeaderField: "Content-Type")
        }
        if let authorization { urlRequest.setValue(authorization, forHTTPHeaderField: "Authorization") }
        return urlRequest
    }

    /// Starts the request; `completion` runs on URLSession's delegate queue, never on the caller's.
    private func start(
        _ request: Request, completion: @escaping @Sendable (Result<Response, SchemaRegistryError>) -> Void
    ) {
        let task = session.dataTask(with: urlRequest(request)) { data, response, error in
            if let error {
                completion(
                    .failure(
                        SchemaRegistryError(
                            code: .transport, operation: request.operation, message: error.localizedDescription)))
                return
            }
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            completion(.success(Response(request: request, status: status, body: data ?? Data())))
        }
        task.resume()
    }

    private func send(_ request: Request) async throws(SchemaRegistryError) -> Response {
        let result = await withCheckedContinuation { continuation in
            start(request) { continuation.resume(returning: $0) }
        }
        return try checked(result.get())
    }

    /// Blocks the calling thread until the response arrives (the request runs on URLSession's threads).
    private func sendBlocking(_ request: Request) throws(SchemaRegistryError) -> Response {
        let done = DispatchSemaphore(value: 0)
        let box = Mutex<Result<Response, SchemaRegistryError>?>(nil)
        start(request) { result in
            box.withLock { $0 = result }
            done.signal()
        }
        let seconds = Double(timeout.components.seconds) + 5
        guard done.wait(timeout: .now() + seconds) == .success, let result = box.withLock({ $0 }) else {
            throw SchemaRegistryError(
                code: .transport, operation: request.operation, message: "no answer within \(timeout)")
        }
        return try checked(result.get())
    }

    private func checked(_ response: Response) throws(SchemaRegistryError) -> Response {
        guard (200..<300).contains(response.status) else {
            let body = try? JSONDecoder().decode(ErrorBody.self, from: response.body)
            throw SchemaRegistryError(
                code: .registry, operation: response.request.operation, httpStatus: response.status,
                errorCode: body?.error_code,
                message: body?.message ?? String(decoding: response.body.prefix(200), as: UTF8.self))
        }
        return response
    }

    private func decode<T: Decodable>(_ response: Response, _ request: Request) throws(SchemaRegistryError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: response.body)
        } catch {
            throw SchemaRegistryError(
                code: .invalidResponse, operation: request.operation, httpStatus: response.status,
                message: "unexpected response body: \(String(decoding: response.body.prefix(200), as: UTF8.self))")
        }
    }
}
