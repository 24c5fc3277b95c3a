/// Builds the byte stream of `COPY … FROM STDIN (FORMAT binary)` in chunks.
///
/// The stream is a header (`PGCOPY\n\377\r\n\0`, flags, extension length), one tuple per row (field count,
/// then each field as a length word and its bytes, -1 for `NULL`), and a trailer (field count -1). Rows are
/// appended to one buffer; the caller sends it with `PQputCopyData` whenever ``isChunkFull`` says so, so a
/// batch goes out in a few large writes rather than one per row.
struct BinaryCopyEncoder {
    static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]

    private(set) var buffer: [UInt8] = []
    let chunkSize: Int
    private let columns: [TimescaleColumn]

    /// - Parameters:
    ///   - columns: The COPY column list; each row's values are converted to these types.
    ///   - chunkSize: The buffer size at which ``isChunkFull`` becomes true.
    init(columns: [TimescaleColumn], chunkSize: Int = 1 << 20) {
        self.columns = columns
        self.chunkSize = chunkSize
        buffer.reserveCapacity(chunkSize + 4_096)
        buffer += Self.signature
        buffer.appendBigEndian(Int32(0))  // flags: no OIDs
        buffer.appendBigEndian(Int32(0))  // header extension length
    }

    var isChunkFull: Bool { buffer.count >= chunkSize }

    /// Hands the bytes gathered so far to `send` and starts a new chunk.
    mutating func drain(_ send: ([UInt8]) throws(TimescaleError) -> Void) throws(TimescaleError) {
        guard !buffer.isEmpty else { return }
        try send(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Appends one tuple; throws a value-type error naming the column when a value does not fit it.
    mutating func append(_ row: TimescaleRow) throws(TimescaleError) {
        guard row.values.count == columns.count else {
            throw TimescaleError(
                code: .valueType, message: "row has \(row.values.count) values for \(columns.count) columns")
        }
        buffer.appendBigEndian(Int16(columns.count))
        for (column, value) in zip(columns, row.values) { try value.appendField(to: &buffer, as: column) }
    }

    /// Appends the trailer; call once after the last row.
    mutating func finish() { buffer.appendBigEndian(Int16(-1)) }
}
