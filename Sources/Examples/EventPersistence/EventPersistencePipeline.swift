import ExampleSupport
import StreamKit
import StreamKitTimescale

/// The persistence stage: read events from the input topics in a consumer group, dead-letter the ones that
/// cannot be stored, and upsert the rest into the events table by `event_id`.
struct EventPersistencePipeline {
    /// The input topics unless `--topics` says otherwise: the event bus's.
    static let defaultTopics = ["bank.transactions", "market.price.updates"]

    let app: StreamApp
    let inputs: [Topic<String, [UInt8]>]
    let deadLetterTopic: String

    /// Adds the stage to `app`, reading `inputs`; the stored events go to `database` and, when given, to `table`
    /// (shown on a terminal).
    init(
        app: StreamApp, inputs: [String], deadLetterTopic: String, counters: PersistenceCounters,
        table: TableSink<StoredEvent>?, database: TimescaleSink<StoredEvent>?
    ) {
        self.app = app
        self.deadLetterTopic = deadLetterTopic
        // Values are read as bytes and parsed by the stage itself, so every record is counted and an unreadable
        // one is dead-lettered with the stage's own reason.
        self.inputs = inputs.map { app.topic($0, key: String.self, value: [UInt8].self, format: .bytes) }
        let frames = self.inputs.map { app.dataframe($0) }
        let stored = frames.dropFirst().reduce(frames[0]) { $0.merge($1) }
            .peek { _ in counters.countRead() }
            .map(IncomingEvent.parse)
            .validate(
                { parsed in
                    guard case .failure(let rejection) = parsed else { return nil }
                    return rejection.reason
                }, otherwise: .deadLetter(deadLetterTopic), name: "event-check"
            )
            .mapRecord { record in
                StoredEvent(try record.value.get(), key: record.key, topic: record.position?.topic ?? "")
            }
            .peek { _ in counters.countAccepted() }
        if let table { stored.to(table) }
        if let database { stored.to(database) }
    }

    /// A table sink showing the stored events, with the counts under them on a terminal.
    static func liveTable(show: Int, counters: PersistenceCounters) -> TableSink<StoredEvent> {
        TableSink(
            columns: [
                .init("time (UTC)", width: 10), .init("topic", width: 22), .init("event_id", width: 14),
                .init("event_type", width: 12), .init("key", width: 8),
            ], show: show,
            footer: { "\(counters.read) read, \(counters.accepted) stored, \(counters.rejected) dead-lettered" }
        ) { event in
            [
                TableSink<StoredEvent>.timeOfDay(milliseconds: event.eventTime.milliseconds), event.sourceTopic,
                event.eventId, event.eventType, event.eventKey ?? "",
            ]
        }
    }
}
