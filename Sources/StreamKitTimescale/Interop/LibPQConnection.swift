internal import CLibPQ
import Foundation

/// Owns one `PGconn` and calls `PQfinish` on it exactly once, in `deinit`.
///
/// Used only on its `TimescaleConnection`'s executor thread; that actor guarantees one caller at a time.
/// Every libpq return code is translated into a ``TimescaleError`` here, with the password removed.
final class LibPQConnection {
    private let conn: OpaquePointer
    private let password: String?

    /// Connects (blocking). On failure throws with libpq's message and frees the half-made connection.
    init(conninfo: String) throws(TimescaleError) {
        password = try Self.password(in: conninfo)
        guard let conn = PQconnectdb(conninfo) else {
            throw TimescaleError(code: .connection, message: "libpq could not allocate a connection")
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(conn)).trimmingTrailingNewlines
            PQfinish(conn)
            throw TimescaleError(code: .connection, message: redact(message, password), isConnectionLost: true)
        }
        // Notices ("relation already exists, skipping") would go to stderr; they carry nothing a caller acts on.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        self.conn = conn
    }

    deinit { PQfinish(conn) }

    /// Checks that libpq can parse `conninfo` (a URL or `key=value` pairs) and returns its password, if any.
    ///
    /// libpq's parse message can quote part of the string, password included, so it is not passed on.
    static func password(in conninfo: String) throws(TimescaleError) -> String? {
        var message: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &message) else {
            if let message { PQfreemem(message) }
            throw .configuration(
                "connection string",
                "libpq cannot parse it; use postgres://user@host:port/db?sslmode=… or key=value pairs")
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password" { return option.pointee.val.map { String(cString: $0) } }
            option += 1
        }
        return nil
    }

    var isConnectionBad: Bool { PQstatus(conn) == CONNECTION_BAD }

    /// The server process serving this connection (`pg_backend_pid()`).
    var backendProcessID: Int32 { PQbackendPID(conn) }

    // MARK: - Statements

    /// Runs one statement with binary bind parameters (`PQexecParams`) and returns its rows as text.
    func execute(_ sql: String, bindings: [TimescaleValue]) throws(TimescaleError) -> TimescaleQueryResult {
        let raw = try withParameters(bindings) { count, types, values, lengths, formats in
            PQexecParams(conn, sql, count, types, values, lengths, formats, 0)
        }
        return try checked(raw).rows()
    }

    /// Prepares a named statement (`PQprepare`) with the given parameter type OIDs.
    func prepare(name: String, sql: String, parameterTypes: [UInt32]) throws(TimescaleError) {
        let raw = PQprepare(conn, name, sql, Int32(parameterTypes.count), parameterTypes)
        _ = try checked(raw)
    }

    /// Runs a prepared statement (`PQexecPrepared`) with binary bind parameters.
    func executePrepared(name: String, bindings: [TimescaleValue]) throws(TimescaleError) -> TimescaleQueryResult {
        let raw = try withParameters(bindings) { count, _, values, lengths, formats in
            PQexecPrepared(conn, name, count, values, lengths, formats, 0)
        }
        return try checked(raw).rows()
    }

    // MARK: - COPY

    /// Runs `COPY … FROM STDIN (FORMAT binary)` and streams `rows` in large `PQputCopyData` chunks.
    ///
    /// A row that does not fit its columns aborts the COPY (`PQputCopyEnd` with a message) and throws that
    /// value error; the connection is then idle again, inside whatever transaction the caller had open.
    /// - Returns: The row count the server reports.
    func copyIn(_ sql: String, columns: [TimescaleColumn], rows: [TimescaleRow]) throws(TimescaleError) -> Int {
        let start = try checked(PQexecParams(conn, sql, 0, nil, nil, nil, nil, 0))
        guard start.status == PGRES_COPY_IN else {
            throw TimescaleError(code: .copy, message: "the statement did not start COPY FROM STDIN")
        }
        var encoder = BinaryCopyEncoder(columns: columns)
        do throws(TimescaleError) {
            for row in rows {
                try encoder.append(row)
                if encoder.isChunkFull { try encoder.drain(sendCopyData) }
            }
            encoder.finish()
            try encoder.drain(sendCopyData)
        } catch {
            if !isConnectionBad {
                PQputCopyEnd(conn, "StreamKit aborted the COPY: a row did not fit its column")
                _ = try? collectCopyResult()
            }
            throw error
        }
        guard PQputCopyEnd(conn, nil) == 1 else { throw connectionError() }
        return try collectCopyResult()
    }

    private func sendCopyData(_ bytes: [UInt8]) throws(TimescaleError) {
        let sent = bytes.withUnsafeBytes { raw in
            PQputCopyData(conn, raw.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(raw.count))
        }
        guard sent == 1 else { throw connectionError() }
    }

    /// Reads results until libpq has none left, so the connection is ready for the next statement.
    private func collectCopyResult() throws(TimescaleError) -> Int {
        var failure: TimescaleError?
        var count = 0
        while let raw = PQgetResult(conn) {
            let result = LibPQResult(raw)
            if result.isSuccess {
                count = result.affectedRowCount
            } else if failure == nil {
                failure = result.error(isConnectionLost: isConnectionBad, redacting: password)
            }
        }
        if let failure { throw failure }
        return count
    }

    // MARK: - Pipeline

    /// Enters libpq's pipeline mode and sends `BEGIN`: the statements sent after it with
    /// ``sendInPipeline(_:_:)`` go out at once, the server runs each while the caller prepares the next, and
    /// ``endPipeline(statements:commit:)`` reads all results at the end: one round trip for a whole transaction.
    func beginPipeline() throws(TimescaleError) {
        guard PQenterPipelineMode(conn) == 1 else { throw connectionError() }
        try sendInPipeline("BEGIN", [])
    }

    /// Sends one statement of the open pipeline and writes it out; see ``beginPipeline()``.
    func sendInPipeline(_ sql: String, _ parameters: [LibPQParameter]) throws(TimescaleError) {
        guard let count = Int32(exactly: parameters.count), count <= 65_535 else {
            throw TimescaleError(code: .configuration, message: "more than 65 535 bind parameters in one statement")
        }
        let types = parameters.map(\.typeOID)
        let lengths = parameters.map { Int32($0.bytes?.count ?? 0) }
        let formats = [Int32](repeating: 1, count: parameters.count)
        let accepted = withBytePointers(parameters.map(\.bytes)) { values in
            PQsendQueryParams(conn, sql, count, types, values, lengths, formats, 0)
        }
        // Written out now, so the server works on it while the caller prepares the next statement.
        guard accepted == 1, PQflush(conn) == 0 else { throw connectionError() }
    }

    /// Sends `COMMIT` (or `ROLLBACK`) and the sync, reads every result, leaves pipeline mode, and rolls back a
    /// transaction that a failed statement left open.
    ///
    /// - Parameter statements: How many statements were sent after `BEGIN`.
    /// - Returns: The affected-row count of each of those statements, in order.
    /// - Throws: The first failed statement's error (the server skipped the statements after it, `COMMIT`
    ///   included); connection errors.
    func endPipeline(statements: Int, commit: Bool) throws(TimescaleError) -> [Int] {
        if !isConnectionBad {
            try sendInPipeline(commit ? "COMMIT" : "ROLLBACK", [])
            guard PQpipelineSync(conn) == 1 else { throw connectionError() }
        }
        // BEGIN, the statements and COMMIT/ROLLBACK each end with a NULL result; the sync comes last.
        let expected = statements + 2
        var counts: [Int] = []
        var failure: TimescaleError?
        var ended = 0
        while true {
            guard let raw = PQgetResult(conn) else {
                ended += 1
                if isConnectionBad || ended > expected { throw failure ?? connectionError() }
                continue
            }
            let result = LibPQResult(raw)
            if result.status == PGRES_PIPELINE_SYNC { break }
            let index = ended - 1  // -1: BEGIN; 0..<statements: the caller's; statements: COMMIT/ROLLBACK
            if result.isSuccess {
                if index >= 0 && index < statements { counts.append(result.affectedRowCount) }
            } else if failure == nil, result.status != PGRES_PIPELINE_ABORTED {
                failure = result.error(isConnectionLost: isConnectionBad, redacting: password)
            }
        }
        guard PQexitPipelineMode(conn) == 1 else { throw connectionError() }
        if PQtransactionStatus(conn) != PQTRANS_IDLE { _ = try? execute("ROLLBACK", bindings: []) }
        if let failure { throw failure }
        return counts
    }

    /// Lends libpq a pointer per parameter (`nil` for `NULL`, a valid address for an empty value) for the
    /// duration of `body`, without copying the bytes.
    private func withBytePointers<R>(_ values: [[UInt8]?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafePointer<CChar>?] = []
        pointers.reserveCapacity(values.count)
        func lend(_ index: Int) -> R {
            guard index < values.count else { return body(pointers) }
            guard let bytes = values[index] else {
                pointers.append(nil)
                return lend(index + 1)
            }
            return (bytes.isEmpty ? [0] : bytes).withUnsafeBufferPointer { buffer in
                pointers.append(UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self))
                return lend(index + 1)
            }
        }
        return lend(0)
    }

    // MARK: - Results and errors

    private func checked(_ raw: OpaquePointer?) throws(TimescaleError) -> LibPQResult {
        guard let raw else { throw connectionError() }
        let result = LibPQResult(raw)
        if result.isSuccess || result.status == PGRES_COPY_IN { return result }
        throw result.error(isConnectionLost: isConnectionBad, redacting: password)
    }

    private func connectionError() -> TimescaleError {
        let message = String(cString: PQerrorMessage(conn)).trimmingTrailingNewlines
        return TimescaleError(
            code: .connection, message: redact(message.isEmpty ? "connection lost" : message, password),
            isConnectionLost: isConnectionBad)
    }

    /// Encodes `bindings` in binary into one buffer and lends libpq's parameter arrays to `body`.
    private func withParameters(
        _ bindings: [TimescaleValue],
        _ body: (
            Int32, UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?,
            UnsafePointer<Int32>?
        ) -> OpaquePointer?
    ) throws(TimescaleError) -> OpaquePointer? {
        guard let count = Int32(exactly: bindings.count), count <= 65_535 else {
            throw TimescaleError(code: .configuration, message: "more than 65 535 bind parameters in one statement")
        }
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        var lengths: [Int32] = []
        for value in bindings {
            if case .null = value {
                offsets.append(-1)
                lengths.append(0)
                continue
            }
            let start = bytes.count
            try value.appendBinary(to: &bytes)
            offsets.append(start)
            lengths.append(Int32(bytes.count - start))
        }
        bytes.append(0)  // so an empty value still has an address: a nil pointer would mean NULL
        let types = bindings.map(\.parameterTypeOID)
        let formats = [Int32](repeating: 1, count: bindings.count)
        return bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let values: [UnsafePointer<CChar>?] = offsets.map { $0 < 0 ? nil : base + $0 }
            return body(count, types, values, lengths, formats)
        }
    }
}
