import StreamKit

/// One record of an input topic as the persistence stage reads it: the envelope every event carries
/// (`event_id`, `event_type`, `ts_event_ms`), and the whole JSON object, stored as it came.
///
/// Any JSON object with those three fields is an event; the event bus's bank transactions and price updates are.
struct IncomingEvent: Sendable {
    /// The fields every event must have.
    struct Envelope: Codable, Sendable {
        var eventId: String
        var eventType: String
        var tsEventMs: Int64
    }

    /// Longest accepted `event_id`.
    static let maxIDLength = 200
    /// Latest accepted `ts_event_ms`: 9999-12-31 23:59:59.999 UTC.
    static let maxTimestampMs: Int64 = 253_402_300_799_999

    var envelope: Envelope
    /// The record's value: a JSON object holding the envelope's fields and any others.
    var payload: String

    private static let decoder = StreamJSONDecoder()
    private static let escape: [UInt8] = Array(#"\u0000"#.utf8)

    /// Reads a record's value, or says why it is not an event that can be stored.
    static func parse(_ value: [UInt8]) -> Result<IncomingEvent, Rejection> {
        let envelope: Envelope
        do {
            envelope = try decoder.decode(Envelope.self, from: value)
        } catch {
            return .failure(Rejection(reason: "not an event: \(error)"))
        }
        // PostgreSQL's jsonb cannot hold the NUL character; the whole batch would fail on it.
        if containsEscapedNUL(value) {
            return .failure(Rejection(reason: "the event holds \\u0000, which PostgreSQL cannot store"))
        }
        // The decoder accepted the bytes, so they are valid UTF-8 and a JSON object.
        let event = IncomingEvent(envelope: envelope, payload: String(decoding: value, as: UTF8.self))
        if let problem = event.problem { return .failure(Rejection(reason: problem)) }
        return .success(event)
    }

    /// What makes the event unstorable, if anything.
    var problem: String? {
        if envelope.eventId.isEmpty { return "event_id is empty" }
        if envelope.eventId.count > Self.maxIDLength { return "event_id is longer than \(Self.maxIDLength) characters" }
        if envelope.eventType.isEmpty { return "event_type is empty" }
        if !(0...Self.maxTimestampMs).contains(envelope.tsEventMs) {
            return "ts_event_ms \(envelope.tsEventMs) is outside 0…\(Self.maxTimestampMs)"
        }
        return nil
    }

    /// Whether the JSON text holds the escape `\u0000`: a byte scan, since this runs for every record.
    static func containsEscapedNUL(_ bytes: [UInt8]) -> Bool {
        var index = bytes.startIndex
        while let backslash = bytes[index...].firstIndex(of: escape[0]) {
            if bytes[backslash...].starts(with: escape) { return true }
            index = backslash + 1
        }
        return false
    }

    /// Why a record was not stored: the dead-letter reason.
    struct Rejection: Error, Sendable {
        var reason: String
    }
}
