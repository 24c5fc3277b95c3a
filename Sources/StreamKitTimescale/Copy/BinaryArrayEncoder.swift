/// Builds one-dimensional arrays in PostgreSQL's binary format (`array_send`), one per column of a batch, so a
/// whole batch binds as a handful of parameters: `INSERT … SELECT * FROM unnest($1, $2, …)`.
///
/// An array is `ndim` (1), a has-nulls flag, the element type OID, the length and lower bound (1), then each
/// element as a length word (-1 for `NULL`) and its binary form: the same field encoding as a binary COPY tuple.
/// The length words are patched in at the end, when the row count is known.
struct BinaryArrayEncoder {
    private(set) var columns: [[UInt8]]
    private var hasNulls: [Bool]
    private let types: [TimescaleColumn]
    private(set) var rowCount = 0

    /// The header's size: ndim, flags, element OID, length, lower bound.
    private static let headerSize = 20

    init(columns: [TimescaleColumn], reservingBytesPerColumn capacity: Int = 0) {
        types = columns
        hasNulls = Array(repeating: false, count: columns.count)
        self.columns = columns.map { column in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(Self.headerSize + capacity)
            buffer.appendBigEndian(Int32(1))  // ndim
            buffer.appendBigEndian(Int32(0))  // has nulls: patched in `finish`
            buffer.appendBigEndian(TimescaleValue.oid(of: column.type.kind))
            buffer.appendBigEndian(Int32(0))  // length: patched in `finish`
            buffer.appendBigEndian(Int32(1))  // lower bound
            return buffer
        }
    }

    /// The array type OID of each column, for the bind parameters.
    var parameterTypeOIDs: [UInt32] { types.map { Self.arrayOID(of: $0.type.kind) } }

    /// Appends one row's values to the column arrays; throws a value-type error naming the column when a value
    /// does not fit it (the arrays then hold part of the row: the batch is not sent).
    mutating func append(_ row: TimescaleRow) throws(TimescaleError) {
        guard row.values.count == types.count else {
            throw TimescaleError(
                code: .valueType, message: "row has \(row.values.count) values for \(types.count) columns")
        }
        for index in types.indices {
            let isNull = try row.values[index].appendField(to: &columns[index], as: types[index])
            if isNull { hasNulls[index] = true }
        }
        rowCount += 1
    }

    /// Patches the lengths and null flags in; call once, after the last row.
    mutating func finish() throws(TimescaleError) {
        guard let count = Int32(exactly: rowCount) else {
            throw TimescaleError(code: .valueType, message: "more than 2^31 rows in one batch")
        }
        for index in columns.indices {
            columns[index].setBigEndian(hasNulls[index] ? 1 : 0, at: 4)
            columns[index].setBigEndian(count, at: 12)
        }
    }

    /// The array type OID (`typarray`) of an element type.
    static func arrayOID(of kind: TimescaleColumnType.Kind) -> UInt32 {
        switch kind {
        case .bool: 1000
        case .int16: 1005
        case .int32: 1007
        case .int64: 1016
        case .float32: 1021
        case .float64: 1022
        case .numeric: 1231
        case .text: 1009
        case .timestamptz: 1185
        case .jsonb: 3807
        case .uuid: 2951
        }
    }
}
