import Foundation
import StreamKitKafka

/// A long input for the crash test, in production order: valid events on one topic, an exact redelivery of an
/// earlier event every twentieth record, and a bad record every hundredth, by turns truncated JSON, no
/// `event_id` and an empty one, each with a unique value so that every one can be found among the dead letters.
struct PersistenceStream {
    let topic: String
    /// Every record, in production order.
    let records: [PersistenceInput.Record]
    /// The `event_id`s of the valid events, each once: the rows the table must hold.
    let eventIDs: Set<String>
    /// The bad records' values, each once.
    let badValues: Set<String>

    init(topic: String, count: Int) {
        self.topic = topic
        let now = Int64(Date().timeIntervalSince1970 * 1_000)
        var records: [PersistenceInput.Record] = []
        var ids = Set<String>()
        var bad = Set<String>()
        for index in 0..<count {
            let value: String
            let key: String
            if index % 100 == 99 {
                key = "ACC-BAD"
                value =
                    switch (index / 100) % 3 {
                    case 0: #"{"event_id":"bad-\#(index)","event_type":"deposit","amount":"#
                    case 1: #"{"event_type":"deposit","amount":\#(index),"ts_event_ms":\#(now)}"#
                    default: #"{"event_id":"","event_type":"deposit","amount":\#(index),"ts_event_ms":\#(now)}"#
                    }
                bad.insert(value)
            } else if index % 20 == 9, index >= 20 {
                records.append(records[index - 13])
                continue
            } else {
                key = "ACC-\(index % 7)"
                value =
                    #"{"event_id":"s-\#(index)","event_type":"deposit","account_id":"\#(key)","#
                    + #""amount":\#(Double(index) / 4),"ts_event_ms":\#(now + Int64(index))}"#
                ids.insert("s-\(index)")
            }
            records.append(PersistenceInput.Record(topic: topic, key: key, value: value))
        }
        self.records = records
        eventIDs = ids
        badValues = bad
    }

    /// Produces the records at `range` of ``records`` (all by default), enqueued in bulk, then flushed, with the
    /// current time as record timestamp.
    func produce(to brokers: String, range: Range<Int>? = nil) async throws {
        var configuration = KafkaConfiguration(bootstrapServers: brokers)
        configuration.properties["queue.buffering.max.messages"] = "\(max(records.count, 100_000))"
        let producer = try KafkaProducer(configuration: configuration)
        for record in records[range ?? records.indices] {
            try producer.enqueue(KafkaProducerMessage(topic: record.topic, key: record.key, value: record.value))
        }
        try await producer.flush(timeout: .seconds(60))
    }
}
