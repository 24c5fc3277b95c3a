import ExampleSupport

/// The recommendation consumer's reaction to each type of event: at most one recommendation per event.
///
/// | event | condition | action | severity |
/// |---|---|---|---|
/// | `withdrawal` | `amount` ≥ 1000 | `large_withdrawal_alert` | `high` from 5000, else `medium` |
/// | `deposit` | `amount` ≥ 5000 | `investment_suggestion` | `info` |
/// | `card_payment` | `balance_after` < 100 | `low_balance_alert` | `medium` |
/// | `transfer` | never | | |
/// | `price_update` | `change_pct` ≤ −3 | `buy_suggestion` | `medium` from a 4.5 % move, else `info` |
/// | `price_update` | `change_pct` ≥ 3 | `sell_suggestion` | as for buying |
enum Recommender {
    static let largeWithdrawal = 1_000.0
    static let hugeWithdrawal = 5_000.0
    static let largeDeposit = 5_000.0
    static let lowBalance = 100.0
    static let priceMovePct = 3.0
    static let bigPriceMovePct = 4.5

    /// The reaction to a bank transaction, if any.
    static func react(to transaction: BankTransaction) -> Recommendation? {
        let amount = "\(LiveTable.fixed(transaction.amount, digits: 2)) \(transaction.currency)"
        let reaction: (Recommendation.Action, Recommendation.Severity, String)? =
            switch transaction.eventType {
            case .withdrawal where transaction.amount >= largeWithdrawal:
                (
                    .largeWithdrawalAlert, transaction.amount >= hugeWithdrawal ? .high : .medium,
                    "withdrawal of \(amount): confirm it was you"
                )
            case .deposit where transaction.amount >= largeDeposit:
                (.investmentSuggestion, .info, "deposit of \(amount): consider a savings or investment account")
            case .cardPayment where transaction.balanceAfter < lowBalance:
                (
                    .lowBalanceAlert, .medium,
                    "balance \(LiveTable.fixed(transaction.balanceAfter, digits: 2)) \(transaction.currency) "
                        + "after a card payment: top up to avoid fees"
                )
            default: nil
            }
        guard let (action, severity, message) = reaction else { return nil }
        return Recommendation(
            eventId: transaction.eventId, eventType: transaction.eventType.rawValue, subject: transaction.accountId,
            action: action, severity: severity, message: message, tsEventMs: transaction.tsEventMs)
    }

    /// The reaction to a price update, if any.
    static func react(to update: PriceUpdate) -> Recommendation? {
        switch update.eventType {
        case .priceUpdate:
            let move = abs(update.changePct)
            guard move >= priceMovePct else { return nil }
            let isDrop = update.changePct < 0
            let message =
                "\(update.symbol) \(isDrop ? "fell" : "rose") \(LiveTable.fixed(move, digits: 2)) % to "
                + "\(LiveTable.fixed(update.price, digits: 2)): \(isDrop ? "consider buying" : "consider taking profit")"
            return Recommendation(
                eventId: update.eventId, eventType: update.eventType.rawValue, subject: update.symbol,
                action: isDrop ? .buySuggestion : .sellSuggestion, severity: move >= bigPriceMovePct ? .medium : .info,
                message: message, tsEventMs: update.tsEventMs)
        }
    }
}
