import StreamKit

/// What the recommendation consumer produces to `recommendations` for an event that calls for a reaction,
/// keyed by its `subject` (the account or the symbol):
///
///     {"recommendation_id":"rec-txn-42-7","event_id":"txn-42-7","event_type":"withdrawal","subject":"ACC-1003",
///      "action":"large_withdrawal_alert","severity":"medium","message":"withdrawal of 1250.50 EUR: …",
///      "ts_event_ms":1763800000123}
///
/// `recommendation_id` is `rec-` and the event's id, so a replayed event gives the same recommendation again.
struct Recommendation: Codable, Hashable, Sendable {
    /// The reaction.
    enum Action: String, Codable, Hashable, Sendable, CaseIterable {
        case largeWithdrawalAlert = "large_withdrawal_alert"
        case investmentSuggestion = "investment_suggestion"
        case lowBalanceAlert = "low_balance_alert"
        case buySuggestion = "buy_suggestion"
        case sellSuggestion = "sell_suggestion"
    }

    /// How urgent the reaction is.
    enum Severity: String, Codable, Hashable, Sendable {
        case info, medium, high
    }

    var recommendationId: String
    var eventId: String
    var eventType: String
    var subject: String
    var action: Action
    var severity: Severity
    var message: String
    var tsEventMs: Int64

    init(
        eventId: String, eventType: String, subject: String, action: Action, severity: Severity, message: String,
        tsEventMs: Int64
    ) {
        recommendationId = "rec-\(eventId)"
        self.eventId = eventId
        self.eventType = eventType
        self.subject = subject
        self.action = action
        self.severity = severity
        self.message = message
        self.tsEventMs = tsEventMs
    }
}

/// A recommendation as a row of the `recommendations` table (upsert key `recommendation_id`).
struct RecommendationRow: Codable, Sendable {
    var recommendationId: String
    var eventId: String
    var eventType: String
    var subject: String
    var action: String
    var severity: String
    var message: String
    var eventTime: EventTime

    init(_ recommendation: Recommendation) {
        recommendationId = recommendation.recommendationId
        eventId = recommendation.eventId
        eventType = recommendation.eventType
        subject = recommendation.subject
        action = recommendation.action.rawValue
        severity = recommendation.severity.rawValue
        message = recommendation.message
        eventTime = EventTime(milliseconds: recommendation.tsEventMs)
    }
}
