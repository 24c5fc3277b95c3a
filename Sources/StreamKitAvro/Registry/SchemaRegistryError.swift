/// A Schema Registry request that failed: the registry's own error code and message when it sent one.
///
/// `description` names the operation, the HTTP status and the registry's code, never credentials.
public struct SchemaRegistryError: Error, Sendable, CustomStringConvertible {
    /// What failed. Static constants, so adding a code does not break callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The registry answered with an error (`errorCode` and `message` are the registry's).
        public static let registry = Code("registry")
        /// The registry could not be reached, or did not answer in time.
        public static let transport = Code("transport")
        /// The answer was not what the registry API specifies.
        public static let invalidResponse = Code("invalid_response")
        /// The client's settings cannot work; the message names the setting.
        public static let configuration = Code("configuration")
        public var description: String { name }
    }

    /// What failed.
    public var code: Code
    /// The request, e.g. `GET /schemas/ids/7`.
    public var operation: String
    /// The HTTP status, when the registry answered.
    public var httpStatus: Int?
    /// The registry's error code (`40403` schema not found, `42201` invalid schema…), when it sent one.
    public var errorCode: Int?
    /// The registry's message, or what went wrong.
    public var message: String

    /// Makes a registry error.
    public init(code: Code, operation: String, httpStatus: Int? = nil, errorCode: Int? = nil, message: String) {
        self.code = code
        self.operation = operation
        self.httpStatus = httpStatus
        self.errorCode = errorCode
        self.message = message
    }

    /// Whether the registry says the subject, version or schema id does not exist.
    public var isNotFound: Bool { httpStatus == 404 }

    public var description: String {
        var text = "SchemaRegistryError.\(code) on \(operation)"
        if let httpStatus { text += " [HTTP \(httpStatus)" + (errorCode.map { " error \($0)" } ?? "") + "]" }
        return text + ": " + message
    }
}
