import Foundation
import StreamKitKafka
import StreamKitTestSupport
import Testing

/// `event-bus bank-producer` and `price-producer` against the separate broker: seeded events, keyed, spread over
/// three partitions, with consistent balances and price changes.
@Suite(.enabled(if: TestEnvironment.hasKafkaAndTimescale, SkipReason.noKafkaOrTimescale))
struct EventBusProducerTests {
    @Test func producersWriteSeededEventsKeyedOverThreePartitions() async throws {
        let prefix = TestEnvironment.uniqueName("bus-producers") + "."
        let bankTopic = prefix + "bank.transactions"
        let priceTopic = prefix + "market.price.updates"
        let bank = try produce("bank-producer", count: 40, seed: 7, prefix: prefix)
        let price = try produce("price-producer", count: 40, seed: 7, prefix: prefix)
        try await bank.expectSuccess()
        try await price.expectSuccess()
        #expect(bank.stdout.contains("produced 40 events to \(bankTopic)"))

        #expect(try await EventTopics.partitionCount(bankTopic) == 3)
        #expect(try await EventTopics.partitionCount(priceTopic) == 3)
        let messages = try await KafkaTestSupport.consume([bankTopic, priceTopic], count: 80)
        let transactions = messages.filter { $0.topic == bankTopic }
        let prices = messages.filter { $0.topic == priceTopic }
        #expect(transactions.count == 40 && prices.count == 40)

        let bankFields: Set = [
            "event_id", "event_type", "account_id", "amount", "currency", "balance_after", "ts_event_ms",
        ]
        let priceFields: Set = [
            "event_id", "event_type", "symbol", "price", "previous_price", "change_pct", "volume", "ts_event_ms",
        ]
        let bankEvents = try checkKeyed(transactions, keyField: "account_id", fields: bankFields)
        let priceEvents = try checkKeyed(prices, keyField: "symbol", fields: priceFields)
        #expect(Set(bankEvents.map { $0["event_id"] as? String }) == Set((1...40).map { "txn-7-\($0)" }))
        #expect(Set(priceEvents.map { $0["event_id"] as? String }) == Set((1...40).map { "px-7-\($0)" }))

        // Each account's balance moves by each amount: up for deposits, down for everything else.
        for events in Dictionary(grouping: bankEvents, by: { $0["account_id"] as! String }).values {
            let ordered = events.sorted { sequence($0) < sequence($1) }
            for (before, after) in zip(ordered, ordered.dropFirst()) {
                let amount = number(after, "amount")
                let sign = after["event_type"] as? String == "deposit" ? 1.0 : -1.0
                #expect(abs(number(before, "balance_after") + sign * amount - number(after, "balance_after")) < 0.005)
                #expect(amount > 0)
            }
        }
        // Each symbol's previous price is its last price, and change_pct is the move in percent to two decimals.
        for events in Dictionary(grouping: priceEvents, by: { $0["symbol"] as! String }).values {
            let ordered = events.sorted { sequence($0) < sequence($1) }
            for (before, after) in zip(ordered, ordered.dropFirst()) {
                #expect(number(after, "previous_price") == number(before, "price"))
            }
            for event in ordered {
                let previous = number(event, "previous_price")
                let percent = ((number(event, "price") - previous) / previous * 10_000).rounded() / 100
                #expect(abs(percent - number(event, "change_pct")) < 1e-9)
            }
        }

        // The same seed gives the same events again, timestamps aside.
        let secondPrefix = TestEnvironment.uniqueName("bus-producers") + "."
        try await produce("bank-producer", count: 40, seed: 7, prefix: secondPrefix).expectSuccess()
        let again = try await KafkaTestSupport.consume([secondPrefix + "bank.transactions"], count: 40)
        #expect(try Set(again.map(withoutTimestamp)) == Set(transactions.map(withoutTimestamp)))
    }

    private func produce(_ subcommand: String, count: Int, seed: Int, prefix: String) throws -> ExampleProcess {
        try ExampleProcess(
            "event-bus",
            [
                subcommand, "--count", "\(count)", "--rate", "0", "--seed", "\(seed)", "--topic-prefix", prefix,
                "--app-id", prefix + subcommand,
            ])
    }

    /// The events as JSON objects, after checking their fields, that each is keyed by `keyField`, that a key
    /// always lands in one partition, and that the keys spread over more than one partition.
    private func checkKeyed(_ messages: [KafkaMessage], keyField: String, fields: Set<String>) throws -> [[String: Any]]
    {
        var partitionsOfKey: [String: Set<Int>] = [:]
        var events: [[String: Any]] = []
        for message in messages {
            let event = try EventTopics.object(message)
            #expect(Set(event.keys) == fields)
            #expect(EventTopics.key(message) == event[keyField] as? String)
            partitionsOfKey[EventTopics.key(message) ?? "", default: []].insert(message.partition)
            events.append(event)
        }
        #expect(partitionsOfKey.values.allSatisfy { $0.count == 1 })
        #expect(Set(messages.map(\.partition)).count > 1)
        return events
    }

    private func withoutTimestamp(_ message: KafkaMessage) throws -> String {
        var event = try EventTopics.object(message)
        event["ts_event_ms"] = nil
        let data = try JSONSerialization.data(withJSONObject: event, options: [.sortedKeys])
        return (EventTopics.key(message) ?? "") + " " + String(decoding: data, as: UTF8.self)
    }

    /// `n` of an id `txn-<seed>-<n>`.
    private func sequence(_ event: [String: Any]) -> Int {
        Int((event["event_id"] as? String)?.split(separator: "-").last ?? "") ?? 0
    }

    private func number(_ event: [String: Any], _ field: String) -> Double {
        (event[field] as? NSNumber)?.doubleValue ?? .nan
    }
}
