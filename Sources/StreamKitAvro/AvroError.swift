/// A schema that cannot be used, a value that does not fit its schema, or two schemas that cannot be
/// resolved against each other.
///
/// Record-level decoding failures are `SerdeError`s instead, so the runtime's error policy can dead-letter
/// them; `AvroError` is what configuration-time and encoding calls throw.
public struct AvroError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The schema JSON is malformed or not a valid Avro schema (libavro's message in `reason`).
        public static let invalidSchema = Code("invalid_schema")
        /// A value could not be written with the schema (a missing field, a type the schema does not allow).
        public static let encoding = Code("encoding")
        /// A reader schema cannot read data written with a writer schema.
        public static let incompatibleSchemas = Code("incompatible_schemas")
        /// A schema feature StreamKit's codec does not support.
        public static let unsupported = Code("unsupported")
        public var description: String { name }
    }

    /// What kind of failure this is.
    public var code: Code
    /// The failure in libavro's or StreamKit's words.
    public var reason: String
    /// The field that failed, as a coding path (`items[2].price`), when known.
    public var field: String?

    /// Makes an Avro error.
    public init(code: Code, reason: String, field: String? = nil) {
        self.code = code
        self.reason = reason
        self.field = field
    }

    public var description: String {
        var text = "AvroError.\(code)"
        if let field, !field.isEmpty { text += " at '\(field)'" }
        return text + ": " + reason
    }
}
