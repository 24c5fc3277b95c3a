import ExampleSupport
import Foundation
import StreamKit
import StreamKitKafka

/// The input of a demonstration run: the event bus's bank transactions and price updates, with the faults the
/// stage is there to handle. Every twenty-fifth record is a bad event (by turns truncated JSON, an event without
/// `event_id`, one with an empty one), and every other tenth is a redelivery of the one before (same `event_id`).
struct DemoFeed {
    let count: Int
    let seed: UInt64
    /// Events per second, each stamped when it is sent; `0` sends them all at once.
    var rate = 0

    /// Creates the two topics with 3 partitions each when missing.
    static func createTopics(on broker: KafkaBroker, bankTopic: String, priceTopic: String) async throws {
        try await broker.createTopics([
            TopicSpec(name: bankTopic, partitions: 3), TopicSpec(name: priceTopic, partitions: 3),
        ])
    }

    /// Produces `count` records to the two topics (created with 3 partitions when missing) and waits for them.
    ///
    /// - Returns: How many records went to each topic.
    func produce(to broker: KafkaBroker, bankTopic: String, priceTopic: String) async throws -> [String: Int] {
        try await Self.createTopics(on: broker, bankTopic: bankTopic, priceTopic: priceTopic)
        let producer = try KafkaProducer(configuration: try broker.configuration)
        var bank = BankTransactionGenerator(seed: seed)
        var prices = PriceUpdateGenerator(seed: seed)
        let json = StreamJSONEncoder()
        var previous: KafkaProducerMessage?
        var counts: [String: Int] = [:]
        let started = ContinuousClock.now
        for index in 1...max(count, 0) {
            if rate > 0 && (index - 1) % max(rate / 1_000, 1) == 0 {
                // About a millisecond's worth at a time, each due at its own time from the start (no drift).
                try await ContinuousClock().sleep(until: started + .seconds(Double(index - 1) / Double(rate)))
            }
            let now = Int64((Date().timeIntervalSince1970 * 1_000).rounded())
            var message: KafkaProducerMessage
            if index.isMultiple(of: 25) {
                message = KafkaProducerMessage(topic: bankTopic, key: "ACC-0000", value: badEvent(index / 25, now))
            } else if index.isMultiple(of: 10), let previous {
                message = previous
            } else if index.isMultiple(of: 2) {
                let update = prices.next(timestampMs: now)
                message = KafkaProducerMessage(
                    topic: priceTopic, key: Array(update.symbol.utf8), value: try json.encode(update))
            } else {
                let transaction = bank.next(timestampMs: now)
                message = KafkaProducerMessage(
                    topic: bankTopic, key: Array(transaction.accountId.utf8), value: try json.encode(transaction))
            }
            try producer.enqueue(message)
            counts[message.topic, default: 0] += 1
            previous = message
        }
        try await producer.flush(timeout: .seconds(30))
        return counts
    }

    private func badEvent(_ number: Int, _ now: Int64) -> String {
        switch number % 3 {
        case 0: #"{"event_id":"bad-\#(number)","event_type":"deposit","amount":"#
        case 1: #"{"event_type":"deposit","amount":10,"ts_event_ms":\#(now)}"#
        default: #"{"event_id":"","event_type":"deposit","amount":10,"ts_event_ms":\#(now)}"#
        }
    }
}
