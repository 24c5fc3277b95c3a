/// One bind parameter already in PostgreSQL's binary format: its type OID and bytes (`nil` for `NULL`).
struct LibPQParameter {
    var typeOID: UInt32
    var bytes: [UInt8]?
}

/// Sends statements into the open pipeline of a connection, each as it is added, and counts them; see
/// ``LibPQConnection/beginPipeline()``.
struct LibPQPipeline: ~Copyable {
    let connection: LibPQConnection
    private(set) var sent = 0

    /// Sends `sql` with `parameters` at once, without waiting for the results of the statements before it, and
    /// writes it out to the server so that the server can run it while the caller prepares the next one.
    mutating func send(_ sql: String, _ parameters: [LibPQParameter]) throws(TimescaleError) {
        try connection.sendInPipeline(sql, parameters)
        sent += 1
    }

    /// Sends `query` with its interpolated values as binary parameters.
    mutating func send(_ query: SQLQuery) throws(TimescaleError) {
        var parameters: [LibPQParameter] = []
        for value in query.bindings {
            if case .null = value {
                parameters.append(LibPQParameter(typeOID: 0, bytes: nil))
                continue
            }
            var bytes: [UInt8] = []
            try value.appendBinary(to: &bytes)
            parameters.append(LibPQParameter(typeOID: value.parameterTypeOID, bytes: bytes))
        }
        try send(query.sql, parameters)
    }
}
