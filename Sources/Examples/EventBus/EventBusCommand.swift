import ArgumentParser

/// The event bus: bank-transaction and market-price producers and a recommendation consumer on Kafka.
@main
struct EventBusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event-bus",
        abstract: "Bank-transaction and market-price producers and a recommendation consumer on Kafka topics.",
        discussion: """
            Topics (3 partitions each, JSON values with snake_case fields):
              bank.transactions      keyed by account_id: event_id, event_type (deposit | withdrawal | \
            card_payment | transfer), account_id, amount, currency, balance_after, ts_event_ms
              market.price.updates   keyed by symbol: event_id, event_type (price_update), symbol, price, \
            previous_price, change_pct, volume, ts_event_ms
              recommendations        keyed by account or symbol: recommendation_id, event_id, event_type, subject, \
            action, severity, message, ts_event_ms
            Reactions: a withdrawal of 1000 or more → large_withdrawal_alert; a deposit of 5000 or more → \
            investment_suggestion; a card payment leaving less than 100 → low_balance_alert; a price down 3 % or \
            more → buy_suggestion, up 3 % or more → sell_suggestion.
            With no subcommand, 'all' runs both producers and the consumer in one process on an embedded cluster. \
            Every subcommand serves /metrics (Prometheus), /health and /ready on --metrics-port (default 9464) and \
            stops gracefully on SIGTERM or SIGINT: the batch in hand is finished and its offsets committed.
            """,
        subcommands: [AllCommand.self, BankProducerCommand.self, PriceProducerCommand.self, RecommendCommand.self],
        defaultSubcommand: AllCommand.self)
}
