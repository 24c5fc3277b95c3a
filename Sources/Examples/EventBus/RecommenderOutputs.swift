import ExampleSupport
import Logging
import StreamKitTimescale

/// Where the recommendation consumer writes besides its topic: the table on screen and, when a database is
/// configured, the `recommendations` table there.
struct RecommenderOutputs {
    let table: TableSink<Recommendation>
    let database: TimescaleSink<Recommendation>?

    /// The outputs the flags ask for; the database table is created now, so a bad URL fails at start.
    static func make(
        connection: ConnectionOptions, show: Int, counters: EventBusCounters, logger: Logger
    ) async throws -> RecommenderOutputs {
        let table = RecommendationTable.make(show: show, counters: counters)
        guard let pg = try connection.makeTimescaleConnection(logger: logger) else {
            return RecommenderOutputs(table: table, database: nil)
        }
        let sink = try EventBusPipeline.databaseSink(on: pg)
        try await sink.prepareAtStart()
        return RecommenderOutputs(table: table, database: sink)
    }

    /// Where the recommendations go, for the start-up line.
    func describe(topic: String) -> String {
        database.map { "\(topic) and table \($0.table.name)" } ?? topic
    }

    /// The closing line: events consumed and recommendations made, by action.
    func summary(counters: EventBusCounters) -> String {
        "consumed \(counters.consumed(.bank)) bank transactions and \(counters.consumed(.price)) price updates → "
            + RecommendationTable.summary(counters.recommendations)
    }
}
