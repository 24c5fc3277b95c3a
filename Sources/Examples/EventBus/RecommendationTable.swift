import ExampleSupport
import Foundation
import StreamKit
import Synchronization

/// Shows the recommendations on standard output as a table, a batch at each checkpoint (about once a second).
///
/// On a terminal the screen is redrawn with the latest `show` rows; otherwise (a pipe, a file) each batch's
/// rows are appended below one header.
final class RecommendationTable: StreamSink {
    private struct State {
        var pending: [Recommendation] = []
        var latest: LiveTable
        var byAction: [Recommendation.Action: Int] = [:]
        var hasPrintedHeader = false
    }

    private static let columns: [LiveTable.Column] = [
        .init("time (UTC)", width: 10), .init("subject", width: 8), .init("event", width: 12),
        .init("action", width: 22), .init("severity", width: 8), .init("message", width: 40),
    ]

    private let state: Mutex<State>
    private let isTerminal = isatty(STDOUT_FILENO) == 1

    /// A table that keeps the latest `show` rows on a terminal.
    init(show: Int) {
        state = Mutex(State(latest: LiveTable(columns: Self.columns, capacity: show)))
    }

    func append(_ value: Recommendation, context: SinkContext) throws {
        state.withLock { $0.pending.append(value) }
    }

    func flush(checkpoint: SinkCheckpoint) async throws {
        let text: String? = state.withLock { state in
            guard !state.pending.isEmpty else { return nil }
            var batch = LiveTable(columns: Self.columns, capacity: .max)
            for recommendation in state.pending {
                let cells = Self.cells(recommendation)
                batch.append(cells)
                state.latest.append(cells)
                state.byAction[recommendation.action, default: 0] += 1
            }
            state.pending.removeAll()
            if isTerminal {
                return "\u{1B}[H\u{1B}[2J" + state.latest.render() + "\n\n" + Self.summary(state.byAction)
            }
            let lines = batch.render().split(separator: "\n", omittingEmptySubsequences: false)
            defer { state.hasPrintedHeader = true }
            return (state.hasPrintedHeader ? lines.dropFirst(2) : lines[...]).joined(separator: "\n")
        }
        guard let text else { return }
        Console.line(text)
    }

    /// How many recommendations of each action were shown.
    var countsByAction: [Recommendation.Action: Int] { state.withLock { $0.byAction } }

    /// `12 large_withdrawal_alert, 3 buy_suggestion…`, in the order of the actions' declaration.
    static func summary(_ counts: [Recommendation.Action: Int]) -> String {
        let total = counts.values.reduce(0, +)
        let parts = Recommendation.Action.allCases.compactMap { action in
            counts[action].map { "\($0) \(action.rawValue)" }
        }
        return "\(total) recommendations" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
    }

    private static func cells(_ recommendation: Recommendation) -> [String] {
        let secondOfDay = (recommendation.tsEventMs / 1_000) % 86_400
        let time = [secondOfDay / 3_600, secondOfDay / 60 % 60, secondOfDay % 60]
            .map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
        return [
            time, recommendation.subject, recommendation.eventType, recommendation.action.rawValue,
            recommendation.severity.rawValue, recommendation.message,
        ]
    }
}
