import Foundation

/// The error type of StreamKitTimescale: a database, connection, COPY or configuration failure.
///
/// `description` is one actionable line such as
/// `TimescaleError.server [23505 unique_violation] on "bars_1s": duplicate key value violates unique
/// constraint "bars_1s_pkey"`.
/// It never holds a password, a connection string or a bound value: messages of the data-exception class
/// (`22xxx`), which PostgreSQL writes with the offending value in them, are left out of it, and `detail`,
/// which can hold row values (`Key (id)=(7) already exists`), is kept only as a property.
public struct TimescaleError: Error, Sendable, CustomStringConvertible {
    /// What failed. Static constants over a private enum, so adding a code does not break callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case configuration, connection, server, copy, valueType, closed
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A setting is not valid (identifier, connection string, table description); fix the named setting.
        public static let configuration = Code(.configuration)
        /// Connecting failed or the connection was lost.
        public static let connection = Code(.connection)
        /// The server rejected a statement; `sqlState` says why.
        public static let server = Code(.server)
        /// Sending COPY data failed on the client side.
        public static let copy = Code(.copy)
        /// A value does not fit the column it is written to.
        public static let valueType = Code(.valueType)
        /// The connection was closed by `close()` and is not reconnected.
        public static let closed = Code(.closed)

        /// The code's name, as in `description`.
        public var description: String { value.rawValue }
    }

    /// What failed.
    public var code: Code
    /// The five-character SQLSTATE when the server sent one, e.g. `"23505"`.
    public var sqlState: String?
    /// The server's or libpq's primary message, verbatim (with any password removed). For data exceptions
    /// (`22xxx`) it may quote the offending value, so log it with care.
    public var message: String
    /// The server's DETAIL field. It can contain row values; it is never part of `description`.
    public var detail: String?
    /// The server's HINT field.
    public var hint: String?
    /// The schema the error is about, when the server names one.
    public var schema: String?
    /// The table the error is about, when the server or the caller names one.
    public var table: String?
    /// The column the error is about, when known.
    public var column: String?
    /// The constraint the error is about, when the server names one.
    public var constraint: String?
    /// Whether the connection is gone: reconnect (``TimescaleConnection/reconnect()``) before the next statement.
    public var isConnectionLost: Bool

    /// Creates an error; StreamKitTimescale makes these, callers usually only read them.
    public init(
        code: Code, message: String, sqlState: String? = nil, table: String? = nil, column: String? = nil,
        isConnectionLost: Bool = false
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.table = table
        self.column = column
        self.isConnectionLost = isConnectionLost
    }

    /// The condition name of `sqlState` for common codes (`"unique_violation"`), `nil` for others.
    public var conditionName: String? { sqlState.flatMap { Self.conditionNames[$0] } }

    /// Whether running the same work again may succeed: a lost connection, a serialization failure or
    /// deadlock, a server shutting down or starting, too many connections, a lock not available.
    public var isRetriable: Bool {
        if isConnectionLost { return true }
        guard let sqlState else { return code == .connection }
        return sqlState.hasPrefix("08") || Self.retriableStates.contains(sqlState)
    }

    /// One actionable line without passwords, connection strings or bound values.
    public var description: String {
        var line = "TimescaleError.\(code)"
        if let sqlState {
            line += " [\(sqlState)\(conditionName.map { " \($0)" } ?? "")]"
        }
        if let table {
            line += " on \"\(table)\(column.map { "\".\"\($0)" } ?? "")\""
        } else if let column {
            line += " on column \"\(column)\""
        }
        if sqlState?.hasPrefix("22") == true {
            line += ": invalid data for the column type (value withheld); see the error's message property"
        } else {
            line +=
                ": "
                + message.split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        }
        if isConnectionLost { line += " (connection lost: reconnect and retry)" }
        return line
    }

    static func configuration(_ setting: String, _ problem: String) -> TimescaleError {
        TimescaleError(code: .configuration, message: "setting \(setting): \(problem)")
    }
}
