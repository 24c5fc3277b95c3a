/// A bank transaction as it appears on `bank.transactions`, keyed by `account_id`:
///
///     {"event_id":"txn-42-7","event_type":"withdrawal","account_id":"ACC-1003","amount":1250.5,
///      "currency":"EUR","balance_after":830.25,"ts_event_ms":1763800000123}
///
/// `amount` is positive for every type; `balance_after` is the account's balance once the transaction is
/// booked (negative when overdrawn).
package struct BankTransaction: Codable, Hashable, Sendable {
    /// What happened to the account.
    package enum Kind: String, Codable, Hashable, Sendable, CaseIterable {
        case deposit
        case withdrawal
        case cardPayment = "card_payment"
        case transfer
    }

    package var eventId: String
    package var eventType: Kind
    package var accountId: String
    package var amount: Double
    package var currency: String
    package var balanceAfter: Double
    package var tsEventMs: Int64

    package init(
        eventId: String, eventType: Kind, accountId: String, amount: Double, currency: String, balanceAfter: Double,
        tsEventMs: Int64
    ) {
        self.eventId = eventId
        self.eventType = eventType
        self.accountId = accountId
        self.amount = amount
        self.currency = currency
        self.balanceAfter = balanceAfter
        self.tsEventMs = tsEventMs
    }
}
