import Foundation
import StreamKitJSON

extension Serde where Value: Codable & Sendable {
    /// JSON through `Codable`, with snake_case field names on the wire (`tsEventMs` ⇄ `ts_event_ms`).
    ///
    /// Uses StreamKit's own single-pass JSON coder, which reads the payload in place and is strict
    /// (RFC 8259); errors name the byte offset and the field.
    public static var json: Serde<Value> { json(limits: .default) }

    /// JSON through StreamKit's coder with explicit limits on document size and nesting depth.
    public static func json(keyMapping: JSONKeyMapping = .snakeCase, limits: JSONLimits) -> Serde<Value> {
        let decoder = StreamJSONDecoder(keyMapping: keyMapping, limits: limits)
        let encoder = StreamJSONEncoder(keyMapping: keyMapping)
        return Serde(
            name: "json",
            serialize: { value, out in try encoder.encode(value, into: &out) },
            deserialize: { bytes in
                do {
                    return try decoder.decode(Value.self, from: bytes)
                } catch let error as JSONError {
                    // A missing field's reason names it and where its object starts; others need the position.
                    let reason =
                        error.kind == .keyNotFound
                        ? error.reason : "\(error.reason) (\(error.kind) at byte \(error.byteOffset))"
                    throw SerdeError(reason: reason, field: error.codingPath)
                }
            })
    }

    /// JSON through Foundation's `JSONEncoder`/`JSONDecoder` with snake_case keys: slower, kept as the
    /// reference and for types that rely on Foundation-specific coding.
    public static var foundationJSON: Serde<Value> {
        Serde(
            name: "json",
            serialize: { value, out in
                let encoder = JSONEncoder()
                encoder.keyEncodingStrategy = .convertToSnakeCase
                out.append(contentsOf: try encoder.encode(value))
            },
            deserialize: { bytes in
                let decoder = JSONDecoder()
                decoder.keyDecodingStrategy = .convertFromSnakeCase
                do {
                    return try decoder.decode(Value.self, from: Data(bytes))
                } catch let error as DecodingError {
                    throw SerdeError(decodingError: error)
                }
            })
    }
}

extension SerdeError {
    /// Translates Foundation's decoding error, keeping the coding path.
    init(decodingError error: DecodingError) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
                .trimmingPrefix(".").description
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            self.init(reason: context.debugDescription, field: path(context.codingPath))
        case .keyNotFound(let key, let context):
            self.init(reason: "missing field '\(key.stringValue)'", field: path(context.codingPath + [key]))
        @unknown default:
            self.init(reason: "\(error)")
        }
    }
}
