import Foundation

/// The event bus's reactions written out naively over parsed JSON, for comparing with what the example produced.
///
/// Thresholds as the example documents them: withdrawal ≥ 1000 (high from 5000, else medium), deposit ≥ 5000
/// (info), card payment leaving balance < 100 (medium), price change ≤ −3 % buy / ≥ 3 % sell (medium from a
/// 4.5 % move, else info); transfers never.
enum ReferenceRecommender {
    /// The fields of a recommendation the tests compare (the message is prose and only checked for presence).
    struct Expected: Hashable, CustomStringConvertible {
        var recommendationID: String
        var eventID: String
        var eventType: String
        var subject: String
        var action: String
        var severity: String
        var tsEventMs: Int64

        var description: String { "\(recommendationID) \(subject) \(action)/\(severity)" }

        /// The same fields read from a recommendation on the topic.
        init?(recommendation json: [String: Any]) {
            guard let id = json["recommendation_id"] as? String, let eventID = json["event_id"] as? String,
                let eventType = json["event_type"] as? String, let subject = json["subject"] as? String,
                let action = json["action"] as? String, let severity = json["severity"] as? String,
                let ts = (json["ts_event_ms"] as? NSNumber)?.int64Value
            else { return nil }
            self.init(
                recommendationID: id, eventID: eventID, eventType: eventType, subject: subject, action: action,
                severity: severity, tsEventMs: ts)
        }

        init(
            recommendationID: String, eventID: String, eventType: String, subject: String, action: String,
            severity: String, tsEventMs: Int64
        ) {
            self.recommendationID = recommendationID
            self.eventID = eventID
            self.eventType = eventType
            self.subject = subject
            self.action = action
            self.severity = severity
            self.tsEventMs = tsEventMs
        }
    }

    /// The recommendation an input event should cause, or `nil`.
    static func expected(for event: [String: Any]) -> Expected? {
        guard let id = event["event_id"] as? String, let type = event["event_type"] as? String,
            let ts = (event["ts_event_ms"] as? NSNumber)?.int64Value
        else { return nil }
        func make(_ subjectField: String, _ action: String, _ severity: String) -> Expected? {
            guard let subject = event[subjectField] as? String else { return nil }
            return Expected(
                recommendationID: "rec-" + id, eventID: id, eventType: type, subject: subject, action: action,
                severity: severity, tsEventMs: ts)
        }
        let amount = (event["amount"] as? NSNumber)?.doubleValue ?? 0
        if type == "withdrawal" && amount >= 1000 {
            return make("account_id", "large_withdrawal_alert", amount >= 5000 ? "high" : "medium")
        }
        if type == "deposit" && amount >= 5000 {
            return make("account_id", "investment_suggestion", "info")
        }
        if type == "card_payment", let balance = (event["balance_after"] as? NSNumber)?.doubleValue, balance < 100 {
            return make("account_id", "low_balance_alert", "medium")
        }
        if type == "price_update", let change = (event["change_pct"] as? NSNumber)?.doubleValue {
            let severity = change <= -4.5 || change >= 4.5 ? "medium" : "info"
            if change <= -3 { return make("symbol", "buy_suggestion", severity) }
            if change >= 3 { return make("symbol", "sell_suggestion", severity) }
        }
        return nil
    }
}
