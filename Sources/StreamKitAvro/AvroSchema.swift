import Foundation

/// An Avro schema, parsed from its JSON text and compiled for StreamKit's binary codec.
///
/// libavro parses and validates the text first, so an invalid schema is reported in libavro's words; the
/// compiled form adds what libavro does not expose (field defaults, logical types) and is what
/// `AvroEncoder` and `AvroDecoder` walk. Parse each schema once and share it: it is immutable and `Sendable`.
///
///     let orderSchema = try AvroSchema(json: """
///         {"type":"record","name":"OrderEvent","fields":[{"name":"order_id","type":"string"}, …]}
///         """)
public final class AvroSchema: Sendable, CustomStringConvertible {
    /// The schema's JSON text, as given (what the registry stores).
    public let json: String
    /// The full name of the root type when it is named (`com.shop.OrderEvent`), else its type name.
    public let name: String
    let nodes: [AvroNode]
    let root: Int
    let libavro: AvroSchemaRef

    /// Parses and compiles a schema.
    ///
    /// - Throws: `AvroError.invalidSchema` with libavro's message when the text is not a valid schema
    ///   (malformed JSON, an unknown type name, a record without fields…), or with StreamKit's when a
    ///   field default does not match its type.
    public init(json: String) throws(AvroError) {
        libavro = try AvroSchemaRef(json: json)
        let document: AvroJSONValue
        do {
            document = try JSONDecoder().decode(AvroJSONValue.self, from: Data(json.utf8))
        } catch {
            throw AvroError(code: .invalidSchema, reason: "schema is not JSON: \(error)")
        }
        var compiler = AvroSchemaCompiler()
        root = try compiler.compile(document, namespace: nil)
        try compiler.encodeDefaults()
        nodes = compiler.nodes
        name = nodes[root].fullName ?? nodes[root].typeName
        self.json = json
    }

    /// Whether both schemas describe the same types, as libavro compares them (names, fields and types;
    /// documentation and other annotations ignored).
    public func isEquivalent(to other: AvroSchema) -> Bool { libavro.isEqual(to: other.libavro) }

    public var description: String { "AvroSchema(\(name))" }
}
