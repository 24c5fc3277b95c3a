/// Simulated transactions of eight accounts (`ACC-1001` … `ACC-1008`) in EUR, with balances kept per account.
///
/// Types are drawn 25 % deposits, 30 % withdrawals, 35 % card payments, 10 % transfers; one in five deposits and
/// withdrawals is large (≥ 5000 and ≥ 1000), so every reaction of the recommender shows up in a short run.
/// Ids are `txn-<seed>-<n>`, n counting from 1.
package struct BankTransactionGenerator: EventGenerator {
    package static let accounts = (1...8).map { "ACC-\(1_000 + $0)" }

    private var rng: SplitMix64
    private let seed: UInt64
    /// Balances in cents, per account.
    private var balances: [Int]
    private var produced = 0

    package init(seed: UInt64) {
        self.seed = seed
        var rng = SplitMix64(seed: seed)
        balances = Self.accounts.map { _ in 150_000 + rng.next(in: 0...300_000) }
        self.rng = rng
    }

    package mutating func next(timestampMs: Int64) -> BankTransaction {
        produced += 1
        let account = rng.next(in: 0...(Self.accounts.count - 1))
        let roll = rng.next(in: 0...99)
        let isLarge = rng.next(in: 0...4) == 0
        let kind: BankTransaction.Kind
        let cents: Int
        switch roll {
        case ..<25:
            kind = .deposit
            cents = isLarge ? rng.next(in: 500_000...2_000_000) : rng.next(in: 5_000...200_000)
        case ..<55:
            kind = .withdrawal
            cents = isLarge ? rng.next(in: 100_000...800_000) : rng.next(in: 2_000...50_000)
        case ..<90:
            kind = .cardPayment
            cents = rng.next(in: 500...30_000)
        default:
            kind = .transfer
            cents = rng.next(in: 10_000...300_000)
        }
        balances[account] += kind == .deposit ? cents : -cents
        return BankTransaction(
            eventId: "txn-\(seed)-\(produced)", eventType: kind, accountId: Self.accounts[account],
            amount: Double(cents) / 100, currency: "EUR", balanceAfter: Double(balances[account]) / 100,
            tsEventMs: timestampMs)
    }
}
