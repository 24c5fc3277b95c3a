import ExampleSupport
import StreamKit
import StreamKitTimescale

/// The event bus's topics and its three parts, added to an app: the two producers and the recommendation
/// consumer. A subcommand adds one part; `all` adds the three to one app.
struct EventBusPipeline {
    /// Partitions of the two event topics.
    static let eventPartitions = 3

    let app: StreamApp
    let bankTransactions: Topic<String, BankTransaction>
    let priceUpdates: Topic<String, PriceUpdate>
    let recommendations: Topic<String, Recommendation>
    /// Where the consumer sends events it cannot read.
    let deadLetterTopic: String

    init(app: StreamApp, naming: NamingOptions) {
        self.app = app
        bankTransactions = app.topic(
            naming.topic("bank.transactions"), key: String.self, value: BankTransaction.self, format: .json,
            partitions: Self.eventPartitions)
        priceUpdates = app.topic(
            naming.topic("market.price.updates"), key: String.self, value: PriceUpdate.self, format: .json,
            partitions: Self.eventPartitions)
        recommendations = app.topic(
            naming.topic("recommendations"), key: String.self, value: Recommendation.self, format: .json,
            partitions: Self.eventPartitions)
        deadLetterTopic = naming.topic("recommendations.dead-letter")
    }

    /// The error policy of an app with the consumer: unreadable events go to the dead-letter topic.
    static func errorPolicy(naming: NamingOptions) -> ErrorPolicy {
        .deadLetter(naming.topic("recommendations.dead-letter"))
    }

    /// Produces bank transactions, keyed by account.
    func produce(_ events: PacedEvents<BankTransactionGenerator>, counters: EventBusCounters) {
        app.dataframe(
            from: events, name: "bank-producer", key: \.accountId,
            timestamp: { EventTime(milliseconds: $0.tsEventMs) }
        )
        .peek { _ in counters.countProduced(.bank) }
        .to(bankTransactions)
    }

    /// Produces price updates, keyed by symbol.
    func produce(_ events: PacedEvents<PriceUpdateGenerator>, counters: EventBusCounters) {
        app.dataframe(
            from: events, name: "price-producer", key: \.symbol, timestamp: { EventTime(milliseconds: $0.tsEventMs) }
        )
        .peek { _ in counters.countProduced(.price) }
        .to(priceUpdates)
    }

    /// Reads both event topics, reacts per event type, and produces the recommendations to their topic, to the
    /// table shown on screen and, when given, to the database.
    func recommend(
        counters: EventBusCounters, table: TableSink<Recommendation>, database: TimescaleSink<Recommendation>?
    ) {
        let fromBank = app.dataframe(bankTransactions)
            .peek { _ in counters.countConsumed(.bank) }
            .compactMap(Recommender.react(to:))
        let fromPrices = app.dataframe(priceUpdates)
            .peek { _ in counters.countConsumed(.price) }
            .compactMap(Recommender.react(to:))
        let recommended = fromBank.merge(fromPrices)
            .peek { counters.countRecommendation($0.value.action) }
            .to(recommendations)
            .to(table)
        if let database { recommended.to(database) }
    }

    /// The sink for the `recommendations` table.
    static func databaseSink(on connection: TimescaleConnection) throws -> TimescaleSink<Recommendation> {
        try TimescaleSink(
            table: "recommendations", on: connection, upsertKey: ["recommendation_id"], row: RecommendationRow.init)
    }
}
