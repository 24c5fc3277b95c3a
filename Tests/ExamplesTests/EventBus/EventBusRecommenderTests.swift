import Foundation
import StreamKit
import StreamKitKafka
import StreamKitTestSupport
import StreamKitTimescale
import Testing

/// `event-bus recommend` and `all` against the separate broker and PostgreSQL: the recommendations on the topic
/// and in the table are those a naive reference gives for the events on the input topics.
@Suite(.enabled(if: TestEnvironment.hasKafkaAndTimescale, SkipReason.noKafkaOrTimescale))
struct EventBusRecommenderTests {
    @Test func recommenderReactsPerEventTypeDeadLettersBadEventsAndReplaysFromTheBeginning() async throws {
        let prefix = TestEnvironment.uniqueName("bus-recommend") + "."
        let bankTopic = prefix + "bank.transactions"
        let priceTopic = prefix + "market.price.updates"
        let recommendationTopic = prefix + "recommendations"
        let schema = TestEnvironment.uniqueSchemaName("bus_recommend")
        let pg = try await TestDatabase.makeExampleSchema(schema)
        try await EventTopics.create([bankTopic, priceTopic])

        // Hand-made events on both sides of every threshold, two bad ones, then a seeded batch from the producers.
        let ms = WallClock.nowMs
        func bank(_ id: String, _ type: String, _ account: String, amount: Double, balance: Double) -> (
            topic: String, key: String, value: String
        ) {
            let value = """
                {"event_id":"\(id)","event_type":"\(type)","account_id":"\(account)","amount":\(amount),\
                "currency":"EUR","balance_after":\(balance),"ts_event_ms":\(ms)}
                """
            return (bankTopic, account, value)
        }
        func price(_ id: String, _ symbol: String, change: Double) -> (topic: String, key: String, value: String) {
            let value = """
                {"event_id":"\(id)","event_type":"price_update","symbol":"\(symbol)","price":100.0,\
                "previous_price":100.0,"change_pct":\(change),"volume":10,"ts_event_ms":\(ms)}
                """
            return (priceTopic, symbol, value)
        }
        let truncated = (topic: bankTopic, key: "ACC-9", value: #"{"event_id":"bad-1","event_type":"withdrawal""#)
        let unknownType = bank("bad-2", "chargeback", "ACC-9", amount: 10, balance: 10)
        try await EventTopics.produce([
            bank("h-1", "withdrawal", "ACC-1", amount: 999.99, balance: 5_000),
            bank("h-2", "withdrawal", "ACC-1", amount: 1_000, balance: 4_000),
            bank("h-3", "withdrawal", "ACC-2", amount: 5_000, balance: -1_000),
            bank("h-4", "deposit", "ACC-2", amount: 4_999.99, balance: 3_999.99),
            bank("h-5", "deposit", "ACC-3", amount: 5_000, balance: 5_000),
            bank("h-6", "card_payment", "ACC-3", amount: 4_900, balance: 100),
            bank("h-7", "card_payment", "ACC-4", amount: 0.01, balance: 99.99),
            bank("h-8", "transfer", "ACC-4", amount: 50_000, balance: -49_900),
            truncated, unknownType,
            price("h-9", "AAPL", change: -2.99), price("h-10", "AAPL", change: -3),
            price("h-11", "MSFT", change: 2.99), price("h-12", "MSFT", change: 3),
            price("h-13", "NVDA", change: -4.5), price("h-14", "NVDA", change: 4.49),
        ])
        for producer in ["bank-producer", "price-producer"] {
            try await ExampleProcess(
                "event-bus",
                [
                    producer, "--count", "50", "--rate", "0", "--seed", "11", "--topic-prefix", prefix, "--app-id",
                    prefix + producer,
                ]
            ).expectSuccess()
        }

        let appID = prefix + "recommender"
        let recommend = ["recommend", "--backtest", "--topic-prefix", prefix, "--app-id", appID]
        let first = try ExampleProcess(
            "event-bus", recommend + ["--timescale-url", TestDatabase.url(schema: schema, includingPublic: true)])
        try await first.expectSuccess()

        let inputs = try await KafkaTestSupport.consume([bankTopic, priceTopic], count: 116)
        #expect(inputs.count == 116)  // 14 hand-made, 2 bad, 50 + 50 simulated
        let expected = Set(inputs.compactMap { try? EventTopics.object($0) }.compactMap(ReferenceRecommender.expected))
        #expect(
            Set(expected.filter { $0.eventID.hasPrefix("h-") }.map(\.description)) == [
                "rec-h-2 ACC-1 large_withdrawal_alert/medium", "rec-h-3 ACC-2 large_withdrawal_alert/high",
                "rec-h-5 ACC-3 investment_suggestion/info", "rec-h-7 ACC-4 low_balance_alert/medium",
                "rec-h-10 AAPL buy_suggestion/info", "rec-h-12 MSFT sell_suggestion/info",
                "rec-h-13 NVDA buy_suggestion/medium", "rec-h-14 NVDA sell_suggestion/info",
            ])
        #expect(
            first.stdout.contains(
                "consumed 58 bank transactions and 56 price updates → \(expected.count) recommendations"))

        let recommendations = try await KafkaTestSupport.consume([recommendationTopic], count: expected.count)
        #expect(recommendations.count == expected.count)
        #expect(try Set(recommendations.map(recommendation)) == expected)
        for message in recommendations {
            let json = try EventTopics.object(message)
            #expect(EventTopics.key(message) == json["subject"] as? String)
            #expect(!((json["message"] as? String) ?? "").isEmpty)
        }

        let deadLetters = try await KafkaTestSupport.consume([prefix + "recommendations.dead-letter"], count: 2)
        #expect(deadLetters.count == 2)
        #expect(
            Set(deadLetters.compactMap { $0.value.map { String(decoding: $0, as: UTF8.self) } }) == [
                truncated.value, unknownType.value,
            ])
        for letter in deadLetters {
            #expect(!(EventTopics.header(DeadLetterHeader.error, of: letter) ?? "").isEmpty)
            #expect(EventTopics.header(DeadLetterHeader.sourceTopic, of: letter) == bankTopic)
        }

        #expect(try await storedRecommendations(pg) == expected.map(\.description).sorted())

        // The same group again: everything is committed, so nothing new.
        try await ExampleProcess("event-bus", recommend).expectSuccess()
        let afterRestart = try await KafkaTestSupport.consume(
            [recommendationTopic], count: expected.count + 1, within: .seconds(5))
        #expect(afterRestart.count == expected.count)

        // From the beginning: every event again under a fresh id, so every recommendation twice; the table keeps one.
        let replay = try ExampleProcess(
            "event-bus",
            recommend + [
                "--from-beginning", "--timescale-url", TestDatabase.url(schema: schema, includingPublic: true),
            ])
        try await replay.expectSuccess()
        let replayed = try await KafkaTestSupport.consume([recommendationTopic], count: 2 * expected.count)
        #expect(replayed.count == 2 * expected.count)
        #expect(Dictionary(grouping: try replayed.map(recommendation), by: \.self).values.allSatisfy { $0.count == 2 })
        let rowCount = try await pg.execute("SELECT count(*) FROM recommendations")
        #expect(rowCount.first?[0] == "\(expected.count)")
    }

    @Test func allRunsBothProducersAndTheConsumerInOneProcess() async throws {
        let prefix = TestEnvironment.uniqueName("bus-all") + "."
        let schema = TestEnvironment.uniqueSchemaName("bus_all")
        let pg = try await TestDatabase.makeExampleSchema(schema)
        let all = try ExampleProcess(
            "event-bus",
            ["all", "--count", "30", "--rate", "0", "--topic-prefix", prefix, "--app-id", prefix + "all"],
            environment: [TestEnvironment.timescaleURLVariable: TestDatabase.url(schema: schema, includingPublic: true)]
        )
        try await all.expectSuccess()

        let inputs = try await KafkaTestSupport.consume(
            [prefix + "bank.transactions", prefix + "market.price.updates"], count: 60)
        #expect(inputs.count == 60)
        let expected = Set(try inputs.map(EventTopics.object).compactMap(ReferenceRecommender.expected))
        let recommendations = try await KafkaTestSupport.consume([prefix + "recommendations"], count: expected.count)
        #expect(try Set(recommendations.map(recommendation)) == expected)
        #expect(recommendations.count == expected.count)
        #expect(try await storedRecommendations(pg) == expected.map(\.description).sorted())
        #expect(
            all.stdout.contains(
                "produced 30 bank transactions and 30 price updates; consumed 30 bank transactions and 30 price "
                    + "updates → \(expected.count) recommendations"))
    }

    /// The rows of the `recommendations` table, described as `ReferenceRecommender.Expected` describes itself.
    private func storedRecommendations(_ pg: TimescaleConnection) async throws -> [String] {
        let rows = try await pg.execute("SELECT recommendation_id, subject, action, severity FROM recommendations")
        return rows.map { "\($0[0] ?? "") \($0[1] ?? "") \($0[2] ?? "")/\($0[3] ?? "")" }.sorted()
    }

    private func recommendation(_ message: KafkaMessage) throws -> ReferenceRecommender.Expected {
        try #require(ReferenceRecommender.Expected(recommendation: try EventTopics.object(message)))
    }
}
