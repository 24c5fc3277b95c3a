import ArgumentParser

/// The value format of a topic an example reads or writes: `--format json|avro`.
package enum PayloadFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// UTF-8 JSON with snake_case fields (StreamKit's codec).
    case json
    /// Avro in the Confluent wire format, schemas in a Schema Registry (`--schema-registry`).
    case avro
}
