import StreamKit
import StreamKitTimescale

/// An event as a row of the events table: one row per `event_id`, the whole event in `payload`.
///
///     event_id text PRIMARY KEY, event_type text NOT NULL, source_topic text NOT NULL, event_key text,
///     event_time timestamptz NOT NULL, payload jsonb NOT NULL
///
/// Writes are upserts on `event_id`: a redelivered or replayed event finds its row and changes nothing, so
/// the table holds each event once however often it arrives.
struct StoredEvent: Sendable {
    var eventId: String
    var eventType: String
    var sourceTopic: String
    var eventKey: String?
    var eventTime: EventTime
    var payload: String

    init(_ event: IncomingEvent, key: String, topic: String) {
        eventId = event.envelope.eventId
        eventType = event.envelope.eventType
        sourceTopic = topic
        eventKey = key.isEmpty ? nil : key
        eventTime = EventTime(milliseconds: event.envelope.tsEventMs)
        payload = event.payload
    }

    /// The event as a row of ``table(named:)``, built directly rather than through `Codable`: the sink does this
    /// for every event.
    var row: TimescaleRow {
        [
            .text(eventId), .text(eventType), .text(sourceTopic), eventKey.map { .text($0) } ?? .null,
            .timestamptz(TimescaleTimestamp(millisecondsSinceUnixEpoch: eventTime.milliseconds)), .jsonb(payload),
        ]
    }

    /// The table description: a plain table keyed by `event_id` (no hypertable, whose keys must hold the time).
    static func table(named name: String) throws -> TimescaleTable {
        try TimescaleTable(
            name: name,
            columns: [
                .init("event_id", .text), .init("event_type", .text, isNullable: false),
                .init("source_topic", .text, isNullable: false), .init("event_key", .text),
                .init("event_time", .timestamptz, isNullable: false), .init("payload", .jsonb, isNullable: false),
            ],
            upsertKey: ["event_id"], compression: nil, retention: nil)
    }
}
