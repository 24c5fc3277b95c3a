/// Why the gateway refused a request: the HTTP status, a message, and the JSON path of the offending field.
///
/// 400 for a body that is not the expected JSON shape (malformed, a missing field, a wrong type), 422 for one
/// that is well formed but invalid (a negative quantity, a total that does not match its items), 409 for an
/// order id reused with a different body, 413 for a body over the size limit, 503 when the write failed.
struct RequestRejection: Error, Sendable {
    var status: Int
    var message: String
    var field: String?

    static func invalid(_ field: String, _ message: String) -> RequestRejection {
        RequestRejection(status: 422, message: "\(field) \(message)", field: field)
    }
}

/// The JSON body of every 4xx/5xx answer: `{"error": "…", "field": "items[0].quantity"}`.
struct ErrorBody: Codable, Sendable {
    var error: String
    var field: String?
}
