internal import CLibPQ
import Foundation

/// Owns one `PGresult` and clears it exactly once, when it goes out of scope.
struct LibPQResult: ~Copyable {
    private let result: OpaquePointer

    init(_ result: OpaquePointer) { self.result = result }

    deinit { PQclear(result) }

    var status: ExecStatusType { PQresultStatus(result) }

    var isSuccess: Bool {
        let status = status
        return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY
    }

    /// The affected-row count of a command (`PQcmdTuples`), or the tuple count of a query.
    var affectedRowCount: Int {
        let text = String(cString: PQcmdTuples(result))
        return Int(text) ?? Int(PQntuples(result))
    }

    /// Copies the result into Swift values; the `PGresult` does not outlive this value.
    func rows() -> TimescaleQueryResult {
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        let columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
        var values: [[String?]] = []
        values.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            values.append(
                (0..<columnCount).map { column in
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
                })
        }
        return TimescaleQueryResult(columns: columns, values: values, affectedRowCount: affectedRowCount)
    }

    /// The server's error fields as a ``TimescaleError``.
    func error(isConnectionLost: Bool, redacting secret: String?) -> TimescaleError {
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        let primary = field("M") ?? String(cString: PQresultErrorMessage(result))
        let sqlState = field("C")
        var error = TimescaleError(
            code: sqlState == nil || isConnectionLost ? .connection : .server,
            message: redact(primary.trimmingTrailingNewlines, secret),
            sqlState: sqlState, table: field("t"), column: field("c"), isConnectionLost: isConnectionLost)
        error.detail = field("D").map { redact($0, secret) }
        error.hint = field("H")
        error.schema = field("s")
        error.constraint = field("n")
        return error
    }
}

/// Removes `secret` (the connection's password) from a message before it can reach a log.
func redact(_ message: String, _ secret: String?) -> String {
    guard let secret, !secret.isEmpty else { return message }
    return message.replacingOccurrences(of: secret, with: "********")
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = Substring(self)
        while text.last?.isNewline == true { text = text.dropLast() }
        return String(text)
    }
}
