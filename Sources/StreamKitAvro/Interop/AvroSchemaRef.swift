internal import CAvro

/// Owns one libavro `avro_schema_t`: libavro parses and validates every schema StreamKit uses, so an invalid
/// schema fails with libavro's own message before StreamKit compiles it for its binary codec.
///
/// `@unchecked Sendable`: the schema is never mutated after parsing, and libavro's reference counts are
/// updated atomically (`avro/refcount.h`), so sharing the handle across threads is safe.
final class AvroSchemaRef: @unchecked Sendable {
    private let schema: avro_schema_t

    /// Parses `json` with libavro; on failure throws `AvroError.invalidSchema` with `avro_strerror()`'s text.
    init(json: String) throws(AvroError) {
        var parsed: avro_schema_t? = nil
        let status = json.withCString { text in avro_schema_from_json_length(text, strlen(text), &parsed) }
        guard status == 0, let parsed else {
            throw AvroError(code: .invalidSchema, reason: AvroSchemaRef.lastError())
        }
        schema = parsed
    }

    deinit { avro_schema_decref(schema) }

    /// libavro's name for the root type (`record`, `int`, `union`…).
    var typeName: String { String(cString: avro_schema_type_name(schema)) }

    /// Whether libavro considers both schemas the same (names, fields, types; annotations ignored).
    func isEqual(to other: AvroSchemaRef) -> Bool { avro_schema_equal(schema, other.schema) != 0 }

    /// The text of libavro's last error on this thread.
    static func lastError() -> String {
        guard let message = avro_strerror() else { return "unknown libavro error" }
        let text = String(cString: message)
        return text.isEmpty ? "unknown libavro error" : text
    }
}
