import ExampleSupport

/// The recommendations as the live table shows them.
enum RecommendationTable {
    /// A table sink keeping the latest `show` rows on a terminal, with the counts by action under them.
    static func make(show: Int, counters: EventBusCounters) -> TableSink<Recommendation> {
        TableSink(
            columns: [
                .init("time (UTC)", width: 10), .init("subject", width: 8), .init("event", width: 12),
                .init("action", width: 22), .init("severity", width: 8), .init("message", width: 40),
            ], show: show, footer: { summary(counters.recommendations) }
        ) { recommendation in
            [
                TableSink<Recommendation>.timeOfDay(milliseconds: recommendation.tsEventMs), recommendation.subject,
                recommendation.eventType, recommendation.action.rawValue, recommendation.severity.rawValue,
                recommendation.message,
            ]
        }
    }

    /// `12 recommendations: 3 large_withdrawal_alert, 9 buy_suggestion…`, actions in their declaration order.
    static func summary(_ counts: [Recommendation.Action: Int]) -> String {
        let total = counts.values.reduce(0, +)
        let parts = Recommendation.Action.allCases.compactMap { action in
            counts[action].map { "\($0) \(action.rawValue)" }
        }
        return "\(total) recommendations" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
    }
}
