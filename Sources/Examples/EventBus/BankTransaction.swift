/// A bank transaction as it appears on `bank.transactions`, keyed by `account_id`:
///
///     {"event_id":"txn-42-7","event_type":"withdrawal","account_id":"ACC-1003","amount":1250.5,
///      "currency":"EUR","balance_after":830.25,"ts_event_ms":1763800000123}
///
/// `amount` is positive for every type; `balance_after` is the account's balance once the transaction is
/// booked (negative when overdrawn).
struct BankTransaction: Codable, Hashable, Sendable {
    /// What happened to the account.
    enum Kind: String, Codable, Hashable, Sendable, CaseIterable {
        case deposit
        case withdrawal
        case cardPayment = "card_payment"
        case transfer
    }

    var eventId: String
    var eventType: Kind
    var accountId: String
    var amount: Double
    var currency: String
    var balanceAfter: Double
    var tsEventMs: Int64
}
