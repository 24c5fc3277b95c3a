import ExampleSupport
import Logging
import StreamKitTimescale

extension ConnectionOptions {
    /// The database side when `--timescale-url` or `TIMESCALE_URL` is set: connected, tables created.
    func makeDatabase(exactlyOnceGroup: String?, logger: Logger) async throws -> MarketDatabase? {
        guard let url = resolvedTimescaleURL else { return nil }
        do {
            let database = try MarketDatabase(url: url, exactlyOnceGroup: exactlyOnceGroup, logger: logger)
            let skipped = try await database.prepare()
            if !skipped.isEmpty {
                logger.notice(
                    "plain PostgreSQL: tables created without TimescaleDB features",
                    metadata: ["skipped": "\(skipped.map(\.name).joined(separator: ", "))"])
            }
            return database
        } catch {
            throw MarketPipelineError(description: "--timescale-url/TIMESCALE_URL: \(error)")
        }
    }
}
