import Foundation

/// A fixed input for the persistence tests: valid events on two topics, exact redeliveries of some of them, and
/// bad events with the reason each should be dead-lettered for.
struct PersistenceInput {
    /// One record to produce.
    struct Record {
        var topic: String
        var key: String
        var value: String
    }

    /// A record the stage must reject, and a fragment of the reason it must give.
    struct BadRecord {
        var record: Record
        var reason: String
    }

    let bankTopic: String
    let priceTopic: String
    /// The valid events, each once, in production order.
    let events: [Record]
    /// Exact copies of some valid events, produced again after them.
    let redeliveries: [Record]
    let bad: [BadRecord]

    /// `count` valid events (two in three on the bank topic), every fifth redelivered, and the bad ones;
    /// `first` numbers the ids (`e-<first>`…), so two inputs can be made disjoint.
    init(prefix: String, count: Int = 45, first: Int = 1) {
        bankTopic = prefix + "bank.transactions"
        priceTopic = prefix + "market.price.updates"
        let now = Int64(Date().timeIntervalSince1970 * 1_000)
        events = (first..<(first + count)).map { [bankTopic, priceTopic] number in
            if number % 3 == 0 {
                let symbol = ["AAPL", "MSFT", "NVDA"][number % 2]
                return Record(
                    topic: priceTopic, key: symbol,
                    value: #"{"event_id":"e-\#(number)","event_type":"price_update","symbol":"\#(symbol)","#
                        + #""price":\#(100 + number),"ts_event_ms":\#(now + Int64(number))}"#)
            }
            let account = "ACC-\(number % 4)"
            return Record(
                topic: bankTopic, key: account,
                value: #"{"event_id":"e-\#(number)","event_type":"\#(number % 2 == 0 ? "deposit" : "withdrawal")","#
                    + #""account_id":"\#(account)","amount":\#(Double(number) * 10.5),"ts_event_ms":\#(now + Int64(number))}"#
            )
        }
        redeliveries = events.enumerated().filter { $0.offset % 5 == 0 }.map(\.element)
        let badValues: [(String, String)] = [
            (#"{"event_id":"bad-1","event_type":"deposit""#, "not an event"),
            (#"{"event_type":"deposit","ts_event_ms":\#(now)}"#, "not an event"),
            (#"{"event_id":"","event_type":"deposit","ts_event_ms":\#(now)}"#, "event_id is empty"),
            (#"{"event_id":"bad-4","event_type":"","ts_event_ms":\#(now)}"#, "event_type is empty"),
            (#"{"event_id":"bad-5","event_type":"deposit","ts_event_ms":-5}"#, "ts_event_ms -5 is outside"),
            (#"{"event_id":"bad-6","event_type":"deposit","ts_event_ms":\#(now),"note":"a\u0000b"}"#, #"\u0000"#),
            ("[1,2,3]", "not an event"),
        ]
        let topic = bankTopic
        bad = badValues.map { BadRecord(record: Record(topic: topic, key: "ACC-9", value: $0), reason: $1) }
    }

    /// Everything in production order: the events, then their redeliveries and the bad records interleaved.
    var all: [Record] {
        var tail: [Record] = []
        for index in 0..<max(redeliveries.count, bad.count) {
            if index < redeliveries.count { tail.append(redeliveries[index]) }
            if index < bad.count { tail.append(bad[index].record) }
        }
        return events + tail
    }

    /// The rows the events table should hold, as `event_id|event_type|source_topic|event_key|event_time ms`, sorted.
    var expectedRows: [String] {
        events.map { record in
            let json = (try? JSONSerialization.jsonObject(with: Data(record.value.utf8))) as? [String: Any] ?? [:]
            let id = json["event_id"] as? String ?? ""
            let type = json["event_type"] as? String ?? ""
            let ms = (json["ts_event_ms"] as? NSNumber)?.int64Value ?? 0
            return "\(id)|\(type)|\(record.topic)|\(record.key)|\(ms)"
        }.sorted()
    }

    /// The records as `(topic, key, value)`, for `EventTopics.produce`.
    static func tuples(_ records: [Record]) -> [(topic: String, key: String, value: String)] {
        records.map { ($0.topic, $0.key, $0.value) }
    }
}
