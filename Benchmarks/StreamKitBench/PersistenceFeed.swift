import Foundation
import StreamKitKafka

/// The input of `streamkit-bench persistence`: JSON events as the event bus writes them, with the faults the
/// persistence stage exists for, in fixed proportions.
///
/// Record `i` (0-based) is, in this order of precedence: a bad event when `i % 100 == 99` (1 %; by turns
/// truncated JSON, no `event_id`, an empty one), a redelivery of the event produced 7 records earlier when
/// `i % 20 == 9` (5 %; the same key and value), otherwise a new event with id `ev-<run>-<i>`.
struct PersistenceFeed: ProducerSource {
    let topic: String
    let total: Int
    let runID: Int64
    var pending: KafkaProducerMessage?
    private var recent: [KafkaProducerMessage] = []
    var produced = 0
    /// The distinct events sent: the rows the table must end with.
    private(set) var distinctEvents = 0
    private(set) var badEvents = 0
    private(set) var redeliveries = 0

    init(topic: String, total: Int, runID: Int64) {
        self.topic = topic
        self.total = total
        self.runID = runID
    }

    mutating func next() throws -> KafkaProducerMessage {
        let index = produced
        let now = Machine.wallMilliseconds()
        let message: KafkaProducerMessage
        if index % 100 == 99 {
            badEvents += 1
            message = KafkaProducerMessage(topic: topic, key: "ACC-BAD", value: Self.badEvent(index, now))
        } else if index % 20 == 9, recent.count >= 7 {
            redeliveries += 1
            message = recent[recent.count - 7]
        } else {
            distinctEvents += 1
            let (key, value) = Self.event(id: "ev-\(runID)-\(index)", index: index, now: now)
            message = KafkaProducerMessage(topic: topic, key: key, value: value, timestampMs: now)
            recent.append(message)
            if recent.count > 64 { recent.removeFirst(32) }
        }
        return message
    }

    /// A bank transaction (two in three) or a price update, shaped like the event bus's.
    static func event(id: String, index: Int, now: Int64) -> (key: String, value: String) {
        if index % 3 == 2 {
            let symbol = ["AAPL", "MSFT", "NVDA", "TSLA"][index % 4]
            let price = 100 + Double(index % 1_000) / 10
            return (
                symbol,
                #"{"event_id":"\#(id)","event_type":"price_update","symbol":"\#(symbol)","price":\#(price),"#
                    + #""previous_price":\#(price - 0.5),"change_pct":0.5,"ts_event_ms":\#(now)}"#
            )
        }
        let account = "ACC-\(1_000 + index % 50)"
        let kind = index % 2 == 0 ? "deposit" : "withdrawal"
        let amount = Double(index % 5_000) * 1.25
        return (
            account,
            #"{"event_id":"\#(id)","event_type":"\#(kind)","account_id":"\#(account)","amount":\#(amount),"#
                + #""currency":"EUR","balance_after":\#(amount * 3),"ts_event_ms":\#(now)}"#
        )
    }

    private static func badEvent(_ index: Int, _ now: Int64) -> String {
        switch (index / 100) % 3 {
        case 0: #"{"event_id":"bad-\#(index)","event_type":"deposit","amount":"#
        case 1: #"{"event_type":"deposit","amount":10,"ts_event_ms":\#(now)}"#
        default: #"{"event_id":"","event_type":"deposit","amount":10,"ts_event_ms":\#(now)}"#
        }
    }
}
