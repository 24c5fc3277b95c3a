import Foundation
import StreamKitTestSupport
import StreamKitTimescale
import Synchronization
import Testing

/// Restarts a real server (`scripts/postgres restart` on a scratch instance) while the writer writes.
@Suite(
    .enabled(if: TestEnvironment.hasTimescale, SkipReason.noTimescale),
    .enabled(if: ScratchServer.canStart, "needs root and postgresql-15 to start a scratch server"))
struct ServerRestartTests {
    final class StopSignal: Sendable {
        let isRaised = Atomic<Bool>(false)
    }

    @Test(.timeLimit(.minutes(2))) func serverRestartedWhileWritingLosesAndDuplicatesNothing() async throws {
        let server = try await ScratchServer.start()
        do {
            let pg = try await TimescaleConnection.connect(
                server.url,
                reconnectPolicy: .init(maxAttempts: 40, initialDelay: .milliseconds(50), maxDelay: .milliseconds(250)))
            let table = try TimescaleTable(
                name: "ticks", columns: [.init("sequence", .bigint), .init("value", .doublePrecision)],
                upsertKey: ["sequence"])
            try await pg.ensureSchema(for: table)
            let writer = try await TimescaleBatchWriter.make(connection: pg, table: table, maxAttempts: 10)
            let batchSize = 1_000
            let stop = StopSignal()
            let pidBefore = try server.postmasterPID()

            // Write batches until told to stop (and at least 5), counting the retried transactions.
            async let written: (batches: Int, retries: Int) = {
                var batch = 0
                var retries = 0
                while !stop.isRaised.load(ordering: .acquiring) || batch < 5 {
                    let rows = (0..<batchSize).map { index -> TimescaleRow in
                        let sequence = Int64(batch * batchSize + index)
                        return [.int64(sequence), .float64(Double(sequence) / 2)]
                    }
                    retries += try await writer.write(rows).attempts - 1
                    batch += 1
                }
                return (batch, retries)
            }()
            try await Task.sleep(for: .milliseconds(100))
            try await server.run("restart")
            try await Task.sleep(for: .milliseconds(300))
            stop.isRaised.store(true, ordering: .releasing)
            let (batches, retries) = try await written

            #expect(try server.postmasterPID() != pidBefore)  // it really was a new server process
            #expect(retries >= 1)
            // sequence 0 … n-1 once each, value sequence / 2: the sum is (n - 1) · n / 4.
            let n = batches * batchSize
            let summary = try await pg.execute(
                "SELECT count(*)::text, count(DISTINCT sequence)::text, max(sequence)::text, sum(value)::text FROM ticks"
            )
            #expect(summary[0].values == ["\(n)", "\(n)", "\(n - 1)", "\((n - 1) * n / 4)"])
        } catch {
            try? await server.stop()
            throw error
        }
        try await server.stop()
    }
}
