/// Why a JSON document could not be decoded or a value could not be encoded.
///
/// Every error names where it happened — the byte offset in the payload and the coding path of the value
/// being read (`items[2].price`) — and what went wrong, so a dead-letter header or log line is actionable
/// on its own.
public struct JSONError: Error, Sendable, CustomStringConvertible {
    /// The category of a ``JSONError``; compare against the static members.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Value: UInt8 {
            case syntax, invalidUTF8, invalidEscape, invalidNumber, limitExceeded, typeMismatch, keyNotFound
            case valueNotFound, numberOutOfRange, dataCorrupted, invalidValue
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The bytes are not JSON: an unexpected character, trailing garbage, a missing separator.
        public static let syntax = Kind(.syntax)
        /// A string holds bytes that are not well-formed UTF-8.
        public static let invalidUTF8 = Kind(.invalidUTF8)
        /// A string holds a malformed escape sequence or a lone UTF-16 surrogate.
        public static let invalidEscape = Kind(.invalidEscape)
        /// A number does not follow the RFC 8259 grammar (leading zeros, `NaN`, `Infinity`, a bare `-`).
        public static let invalidNumber = Kind(.invalidNumber)
        /// The document exceeds ``JSONLimits/maxDepth`` or ``JSONLimits/maxDocumentBytes``.
        public static let limitExceeded = Kind(.limitExceeded)
        /// The JSON value has a different type from the one requested.
        public static let typeMismatch = Kind(.typeMismatch)
        /// An object lacks a member the type requires.
        public static let keyNotFound = Kind(.keyNotFound)
        /// A non-optional value was `null`, or an array had fewer elements than were read.
        public static let valueNotFound = Kind(.valueNotFound)
        /// A number does not fit the requested type (integer overflow, a fraction for an integer, `1e400`).
        public static let numberOutOfRange = Kind(.numberOutOfRange)
        /// The value is well-formed JSON but not a valid instance of the type (bad base64, bad URL).
        public static let dataCorrupted = Kind(.dataCorrupted)
        /// The encoder was given a value JSON cannot hold (a non-finite `Double`, no value at all).
        public static let invalidValue = Kind(.invalidValue)

        /// A short lower-case name of the kind, e.g. `syntax`.
        public var description: String {
            switch value {
            case .syntax: "syntax"
            case .invalidUTF8: "invalid UTF-8"
            case .invalidEscape: "invalid escape"
            case .invalidNumber: "invalid number"
            case .limitExceeded: "limit exceeded"
            case .typeMismatch: "type mismatch"
            case .keyNotFound: "key not found"
            case .valueNotFound: "value not found"
            case .numberOutOfRange: "number out of range"
            case .dataCorrupted: "data corrupted"
            case .invalidValue: "invalid value"
            }
        }
    }

    /// What went wrong, as a category to branch on.
    public var kind: Kind
    /// The byte offset in the payload where the problem was found; `0` for encoding errors.
    public var byteOffset: Int
    /// The coding path of the value being read or written, e.g. `items[2].price`; empty at the top level.
    public var codingPath: String
    /// A human-readable explanation, e.g. `expected ',' or '}' after an object member, found 'x'`.
    public var reason: String

    /// Creates an error; StreamKit's codec makes these, user code rarely needs to.
    public init(kind: Kind, byteOffset: Int, codingPath: String, reason: String) {
        self.kind = kind
        self.byteOffset = byteOffset
        self.codingPath = codingPath
        self.reason = reason
    }

    /// One line: `JSON syntax error at byte 17 (items[2].price): expected a value, found 'x'`.
    public var description: String {
        let path = codingPath.isEmpty ? "" : " (\(codingPath))"
        return "JSON \(kind) error at byte \(byteOffset)\(path): \(reason)"
    }
}
