import Logging

/// A connection to PostgreSQL or TimescaleDB: parameterised queries, prepared statements, transactions,
/// binary COPY and reconnecting with backoff.
///
/// The actor runs on its own thread (a dedicated serial executor), so libpq's blocking calls never hold a
/// thread of Swift's cooperative pool. Calls from other tasks queue up; inside ``withTransaction(_:)`` the
/// body runs synchronously on the actor, so nothing interleaves with a transaction.
///
///     let pg = try await TimescaleConnection.connect("postgres://app@db:5432/market?sslmode=require",
///                                                     statementTimeout: .seconds(30))
///     let rows = try await pg.execute("SELECT count(*) AS n FROM \(table) WHERE symbol = \(symbol)")
///
/// A lost connection throws a ``TimescaleError`` with ``TimescaleError/isConnectionLost`` set; call
/// ``reconnect()`` and retry. Prepared statements are prepared again on the new connection when next used.
public actor TimescaleConnection {
    /// How ``reconnect()`` retries: up to `maxAttempts` connects, waiting `initialDelay`, then twice as long
    /// each time, at most `maxDelay`.
    public struct ReconnectPolicy: Sendable, Hashable {
        /// Connection attempts before giving up, at least 1.
        public var maxAttempts: Int
        /// The wait after the first failed attempt.
        public var initialDelay: Duration
        /// The longest wait between attempts.
        public var maxDelay: Duration

        /// Creates a policy; the default tries 8 times over about 6 seconds.
        public init(maxAttempts: Int = 8, initialDelay: Duration = .milliseconds(50), maxDelay: Duration = .seconds(2))
        {
            precondition(maxAttempts >= 1, "ReconnectPolicy.maxAttempts must be at least 1")
            self.maxAttempts = maxAttempts
            self.initialDelay = initialDelay
            self.maxDelay = maxDelay
        }

        /// The wait before attempt `attempt + 1` after `attempt` failures (1-based).
        func delay(afterFailures attempt: Int) -> Duration {
            var delay = initialDelay
            for _ in 1..<max(attempt, 1) where delay < maxDelay { delay *= 2 }
            return min(delay, maxDelay)
        }
    }

    private let executor: LibPQThreadExecutor
    /// Runs the actor on its own thread; see the type's documentation.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private let conninfo: String
    /// The `statement_timeout` set on every (re)connect, or `nil` for the server's default.
    public nonisolated let statementTimeout: Duration?
    /// How ``reconnect()`` retries.
    public nonisolated let reconnectPolicy: ReconnectPolicy
    let logger: Logger

    private var connection: LibPQConnection?
    private var isClosed = false
    private var isInTransaction = false
    private var preparedStatements: [String: (sql: String, types: [UInt32])] = [:]
    private var preparedOnServer: Set<String> = []
    /// The transaction kept open in pipeline mode by ``sendInOpenTransaction(_:)``, if any, and how many were
    /// opened so far (their ids).
    var openTransaction: OpenTransaction?
    var openTransactionCount: UInt64 = 0
    /// Tables whose skipped TimescaleDB features were already logged, so each is reported once.
    var warnedSchemaTables: Set<String> = []

    /// Checks the connection string and settings without connecting;
    /// ``connect(_:statementTimeout:reconnectPolicy:logger:)``
    /// is the usual way in.
    ///
    /// - Parameters:
    ///   - conninfo: A libpq URL (`postgres://user:pw@host:port/db?sslmode=verify-full&application_name=x`) or
    ///     `key=value` pairs. Every libpq option is passed through untouched. It is never logged or put in an error.
    ///   - statementTimeout: Sets `statement_timeout` on each new connection; a statement running longer is
    ///     cancelled with SQLSTATE 57014 (`query_canceled`).
    ///   - reconnectPolicy: Attempts and backoff of ``reconnect()``.
    ///   - logger: Receives reconnect warnings and skipped-feature notes, never credentials.
    /// - Throws: A configuration error if libpq cannot parse `conninfo`.
    public init(
        _ conninfo: String, statementTimeout: Duration? = nil, reconnectPolicy: ReconnectPolicy = ReconnectPolicy(),
        logger: Logger = Logger(label: "StreamKitTimescale")
    ) throws(TimescaleError) {
        _ = try LibPQConnection.password(in: conninfo)
        if let statementTimeout, statementTimeout < .milliseconds(1) {
            throw .configuration("statementTimeout", "use at least 1 ms, or nil for the server default")
        }
        self.conninfo = conninfo
        self.statementTimeout = statementTimeout
        self.reconnectPolicy = reconnectPolicy
        self.logger = logger
        executor = LibPQThreadExecutor(name: "StreamKitTimescale.libpq")
    }

    deinit { executor.shutDown() }

    /// Connects, retrying per `reconnectPolicy` while the server is unreachable or starting.
    ///
    /// See ``init(_:statementTimeout:reconnectPolicy:logger:)`` for the parameters.
    /// - Throws: A configuration error for an unparsable `conninfo`; the last connection error after the
    ///   final attempt.
    public static func connect(
        _ conninfo: String, statementTimeout: Duration? = nil, reconnectPolicy: ReconnectPolicy = ReconnectPolicy(),
        logger: Logger = Logger(label: "StreamKitTimescale")
    ) async throws -> TimescaleConnection {
        let connection = try TimescaleConnection(
            conninfo, statementTimeout: statementTimeout, reconnectPolicy: reconnectPolicy, logger: logger)
        try await connection.reconnect()
        return connection
    }

    // MARK: - Connection state

    /// Whether a live connection is open (as libpq last saw it; a dead peer shows only on the next statement).
    public var isConnected: Bool { connection.map { !$0.isConnectionBad } ?? false }

    /// The server process of this connection, for `pg_stat_activity` or `pg_terminate_backend`; `nil` when
    /// not connected.
    public var backendProcessID: Int32? { connection?.backendProcessID }

    /// Drops the current connection, if any, and connects again with backoff per ``reconnectPolicy``.
    ///
    /// - Throws: The last connection error when every attempt failed; ``TimescaleError/Code-swift.struct/closed``
    ///   after ``close()``.
    public func reconnect() async throws {
        connection = nil
        openTransaction = nil
        preparedOnServer = []
        isInTransaction = false
        var failures = 0
        while true {
            guard !isClosed else { throw TimescaleError(code: .closed, message: "the connection was closed") }
            do {
                connection = try open()
                if failures > 0 { logger.info("reconnected to PostgreSQL", metadata: ["attempts": "\(failures + 1)"]) }
                return
            } catch {
                failures += 1
                guard failures < reconnectPolicy.maxAttempts, error.isRetriable else { throw error }
                let delay = reconnectPolicy.delay(afterFailures: failures)
                logger.warning(
                    "connecting to PostgreSQL failed; retrying",
                    metadata: ["error": "\(error)", "attempt": "\(failures)", "retryIn": "\(delay)"])
                try await Task.sleep(for: delay)
            }
        }
    }

    /// Closes the connection; later calls throw a ``TimescaleError/Code-swift.struct/closed`` error.
    public func close() {
        isClosed = true
        openTransaction = nil
        connection = nil
    }

    private func open() throws(TimescaleError) -> LibPQConnection {
        let pq = try LibPQConnection(conninfo: conninfo)
        if let statementTimeout {
            let milliseconds =
                statementTimeout.components.seconds * 1_000
                + statementTimeout.components.attoseconds / 1_000_000_000_000_000
            _ = try pq.execute(
                "SELECT set_config('statement_timeout', $1, false)", bindings: [.text("\(milliseconds)ms")])
        }
        return pq
    }

    /// The open connection, or a connection-lost error that tells the caller to reconnect.
    private func live() throws(TimescaleError) -> LibPQConnection {
        if isClosed { throw TimescaleError(code: .closed, message: "the connection was closed") }
        guard let connection, !connection.isConnectionBad else {
            connection = nil
            throw TimescaleError(
                code: .connection, message: "not connected; call reconnect()", isConnectionLost: true)
        }
        return connection
    }

    /// Runs `work` on the live connection; a lost connection is dropped so ``isConnected`` tells the truth.
    ///
    /// Rolls back the transaction kept open by ``sendInOpenTransaction(_:)`` first, unless `work` belongs to it.
    func withLive<R>(
        keepingOpenTransaction: Bool = false, _ work: (LibPQConnection) throws(TimescaleError) -> R
    ) throws(TimescaleError) -> R {
        if !keepingOpenTransaction { abandonOpenTransaction() }
        let pq = try live()
        do {
            return try work(pq)
        } catch {
            if error.isConnectionLost || pq.isConnectionBad {
                var error = error
                error.isConnectionLost = true
                connection = nil
                openTransaction = nil
                preparedOnServer = []
                throw error
            }
            throw error
        }
    }

    // MARK: - Statements

    /// Runs one statement with its interpolated values as binary bind parameters.
    ///
    ///     try await pg.execute("UPDATE \(table) SET ask = \(ask) WHERE symbol = \(symbol)")
    ///
    /// - Returns: The rows (text format) and the affected-row count.
    /// - Throws: A server error with SQLSTATE, or a connection-lost error.
    @discardableResult
    public func execute(_ query: SQLQuery) throws(TimescaleError) -> TimescaleQueryResult {
        let sql = query.sql
        let bindings = query.bindings
        return try withLive { pq throws(TimescaleError) in try pq.execute(sql, bindings: bindings) }
    }

    /// Prepares `query` on the server under `name`; run it with ``execute(_:_:)``.
    ///
    /// Write parameters as `$1`, `$2`, … in the literal and give their types; values are checked against these
    /// types when the statement runs. After a reconnect the statement is prepared again when next used.
    ///
    ///     let insert = try await pg.prepare(
    ///         "insert_tick", "INSERT INTO ticks VALUES ($1, $2)", parameterTypes: [.text, .doublePrecision])
    ///
    /// - Throws: A configuration error for an invalid name or a query with interpolated values; a server error
    ///   for invalid SQL.
    @discardableResult
    public func prepare(
        _ name: String, _ query: SQLQuery, parameterTypes: [TimescaleColumnType]
    ) throws(TimescaleError) -> TimescalePreparedStatement {
        _ = try SQLIdentifier(name, setting: "prepared statement name")
        guard query.bindings.isEmpty else {
            throw .configuration("prepared statement \(name)", "write $1, $2, … instead of interpolating values")
        }
        let types = parameterTypes.map { TimescaleValue.oid(of: $0.kind) }
        preparedStatements[name] = (query.sql, types)
        preparedOnServer.remove(name)
        try ensurePrepared(name)
        return TimescalePreparedStatement(name: name, parameterTypes: parameterTypes)
    }

    /// Runs a prepared statement with `values` converted to its parameter types.
    ///
    /// - Throws: A value-type error when a value does not fit its parameter; server and connection errors.
    @discardableResult
    public func execute(
        _ statement: TimescalePreparedStatement, _ values: [TimescaleValue]
    ) throws(TimescaleError) -> TimescaleQueryResult {
        guard values.count == statement.parameterTypes.count else {
            throw TimescaleError(
                code: .valueType,
                message: "\(values.count) values for \(statement.parameterTypes.count) parameters of \(statement.name)")
        }
        var converted: [TimescaleValue] = []
        for (index, (value, type)) in zip(values, statement.parameterTypes).enumerated() {
            guard let value = value.converted(to: type.kind) else {
                throw TimescaleError(
                    code: .valueType, message: "parameter $\(index + 1) of \(statement.name) needs \(type)")
            }
            converted.append(value)
        }
        try ensurePrepared(statement.name)
        return try withLive { pq throws(TimescaleError) in
            try pq.executePrepared(name: statement.name, bindings: converted)
        }
    }

    private func ensurePrepared(_ name: String) throws(TimescaleError) {
        guard !preparedOnServer.contains(name) else { return }
        guard let definition = preparedStatements[name] else {
            throw .configuration("prepared statement \(name)", "prepare it on this connection first")
        }
        try withLive { pq throws(TimescaleError) in
            try pq.prepare(name: name, sql: definition.sql, parameterTypes: definition.types)
        }
        preparedOnServer.insert(name)
    }

    // MARK: - Transactions

    /// Runs `body` in a transaction: `BEGIN`, then `COMMIT` if `body` returns, `ROLLBACK` if it throws.
    ///
    /// `body` runs synchronously on the connection's thread and receives the connection isolated, so it
    /// calls ``execute(_:)`` and ``copy(into:columns:rows:)`` without `await` and no other caller's
    /// statements interleave. `body` is `@Sendable`: it captures values, not the caller's mutable state.
    /// Not reentrant.
    ///
    ///     try await pg.withTransaction { pg in
    ///         try pg.execute("DELETE FROM \(table) WHERE symbol = \(symbol)")
    ///         try pg.copy(into: table, columns: columns, rows: rows)
    ///     }
    ///
    /// - Throws: What `body` throws, or the error of `BEGIN`/`COMMIT`. When the connection is lost during
    ///   `COMMIT` the outcome is unknown: write idempotently (upsert keys) and retry.
    public func withTransaction<R: Sendable>(
        _ body: @Sendable (isolated TimescaleConnection) throws -> R
    ) throws -> R {
        precondition(!isInTransaction, "TimescaleConnection.withTransaction is not reentrant")
        try execute("BEGIN")
        isInTransaction = true
        defer { isInTransaction = false }
        do {
            let result = try body(self)
            try execute("COMMIT")
            return result
        } catch {
            if isConnected { _ = try? execute("ROLLBACK") }
            throw error
        }
    }

    // MARK: - COPY

    /// Writes `rows` with `COPY table (columns) FROM STDIN (FORMAT binary)`.
    ///
    /// Values are encoded in each column's binary format (see ``TimescaleValue`` for the widening allowed)
    /// and sent in chunks of about 1 MiB. Run it inside ``withTransaction(_:)`` to combine it with other
    /// statements.
    /// - Returns: The number of rows the server copied.
    /// - Throws: A configuration error for invalid names; a value-type error naming the column of the first
    ///   value that does not fit (the COPY is then aborted); server and connection errors.
    @discardableResult
    public func copy(
        into table: SQLTableName, columns: [TimescaleColumn], rows: [TimescaleRow]
    ) throws(TimescaleError) -> Int {
        var identifiers: [SQLIdentifier] = []
        for (index, column) in columns.enumerated() {
            identifiers.append(try SQLIdentifier(column.name, setting: "columns[\(index)]"))
        }
        return try copy(into: table, identifiers: identifiers, columns: columns, rows: rows)
    }

    func copy(
        into table: SQLTableName, identifiers: [SQLIdentifier], columns: [TimescaleColumn], rows: [TimescaleRow]
    ) throws(TimescaleError) -> Int {
        let sql: SQLQuery = "COPY \(table) (\(identifiers: identifiers)) FROM STDIN (FORMAT binary)"
        do {
            return try withLive { pq throws(TimescaleError) in try pq.copyIn(sql.sql, columns: columns, rows: rows) }
        } catch {
            var error = error
            if error.table == nil && !error.isConnectionLost { error.table = table.name.name }
            throw error
        }
    }
}

/// A statement prepared on a ``TimescaleConnection``; run it with ``TimescaleConnection/execute(_:_:)``.
public struct TimescalePreparedStatement: Sendable, Hashable {
    /// The server-side statement name.
    public let name: String
    /// The parameter types, `$1` first.
    public let parameterTypes: [TimescaleColumnType]
}
