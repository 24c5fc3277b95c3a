import Foundation
import StreamKitTimescale
import Testing

/// Error text without a server: nothing listens on port 1.
@Suite struct TimescaleErrorTests {
    @Test func connectionErrorsNeverShowThePasswordOrTheURL() async throws {
        let password = "pw-s3cr3t-9f2"
        let url = "postgres://alice:\(password)@127.0.0.1:1/db?sslmode=disable&connect_timeout=2"
        do {
            _ = try await TimescaleConnection.connect(url, reconnectPolicy: .init(maxAttempts: 1))
            Issue.record("nothing listens on port 1")
        } catch let error as TimescaleError {
            #expect(error.code == .connection && error.isRetriable)
            #expect(!error.description.contains(password) && !error.message.contains(password))
            #expect(!error.description.contains("postgres://"))
        }
        // An unparsable key/value string is a configuration error that does not echo it.
        #expect {
            _ = try TimescaleConnection("host=127.0.0.1 password='\(password)")
        } throws: { error in
            let error = error as! TimescaleError
            return error.code == .configuration && !error.description.contains(password)
        }
    }

    @Test func descriptionIsOneLineWithStateConditionAndTable() {
        var error = TimescaleError(
            code: .server, message: "duplicate key value violates unique constraint \"bars_1s_pkey\"",
            sqlState: "23505",
            table: "bars_1s")
        error.detail = "Key (symbol, window_start)=(TTF-GAS, 2026-01-01) already exists."
        #expect(
            error.description
                == #"TimescaleError.server [23505 unique_violation] on "bars_1s": duplicate key value violates unique constraint "bars_1s_pkey""#
        )
        #expect(!error.isRetriable)
        let lost = TimescaleError(
            code: .connection, message: "server closed the connection unexpectedly\n\tThis probably means…",
            isConnectionLost: true)
        #expect(!lost.description.contains("\n") && lost.isRetriable)
        #expect(TimescaleError(code: .server, message: "deadlock", sqlState: "40P01").isRetriable)
    }
}
