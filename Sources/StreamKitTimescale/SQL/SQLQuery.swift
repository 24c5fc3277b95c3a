/// A SQL statement whose interpolated values become bind parameters.
///
/// Values interpolated into the literal are sent separately as `$1`, `$2`, … in PostgreSQL's binary
/// format; they are never spliced into the SQL text. Identifiers (``SQLIdentifier``, ``SQLTableName``)
/// interpolate double-quoted. ``init(unsafeRaw:)`` is the only way to put arbitrary text into the SQL.
///
///     let query: SQLQuery = "SELECT count(*) FROM \(table) WHERE symbol = \(symbol) AND ts >= \(since)"
///     // SELECT count(*) FROM "ticks" WHERE symbol = $1 AND ts >= $2   — bindings: [.text, .timestamptz]
///
/// One query is one statement: it is sent with `PQexecParams`, which refuses several statements.
public struct SQLQuery: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case sql(String)
        case binding(TimescaleValue)
    }
    private(set) var segments: [Segment] = []

    /// Uses `sql` verbatim. Never build `sql` from outside input; interpolate values into a literal instead.
    public init(unsafeRaw sql: String) { segments = [.sql(sql)] }

    /// A query from a string literal without interpolations.
    public init(stringLiteral sql: String) { segments = [.sql(sql)] }

    /// A query from an interpolated literal; see ``StringInterpolation``.
    public init(stringInterpolation: StringInterpolation) { segments = stringInterpolation.segments }

    /// The SQL text with `$n` placeholders.
    public var sql: String {
        var text = ""
        var index = 0
        for segment in segments {
            switch segment {
            case .sql(let part): text += part
            case .binding:
                index += 1
                text += "$\(index)"
            }
        }
        return text
    }

    /// The bound values in placeholder order.
    public var bindings: [TimescaleValue] {
        segments.compactMap { if case .binding(let value) = $0 { value } else { nil } }
    }

    /// The SQL text with placeholders; never the bound values.
    public var description: String { sql }

    /// Joins two queries; the placeholders of `rhs` are renumbered after those of `lhs`.
    public static func + (lhs: SQLQuery, rhs: SQLQuery) -> SQLQuery {
        var joined = lhs
        joined.segments += rhs.segments
        return joined
    }

    /// Joins queries with `separator` between them, e.g. a list of `col = value` assignments.
    public static func joined(_ parts: [SQLQuery], separator: String) -> SQLQuery {
        var joined = SQLQuery(unsafeRaw: "")
        for (index, part) in parts.enumerated() {
            if index > 0 { joined.segments.append(.sql(separator)) }
            joined.segments += part.segments
        }
        return joined
    }

    /// Collects literal SQL, bind parameters and quoted identifiers.
    public struct StringInterpolation: StringInterpolationProtocol {
        var segments: [Segment] = []

        /// Reserves nothing; segments are few.
        public init(literalCapacity: Int, interpolationCount: Int) {}

        /// Appends literal SQL from the source code.
        public mutating func appendLiteral(_ literal: String) { segments.append(.sql(literal)) }

        /// Binds `value` as the next parameter (`$n`); `nil` binds `NULL`.
        public mutating func appendInterpolation(_ value: some TimescaleValueConvertible) {
            segments.append(.binding(value.timescaleValue))
        }

        /// Binds `value` as the next parameter (`$n`), or `NULL` when it is `nil`.
        public mutating func appendInterpolation<Value: TimescaleValueConvertible>(_ value: Value?) {
            segments.append(.binding(value?.timescaleValue ?? .null))
        }

        /// Appends a double-quoted identifier.
        public mutating func appendInterpolation(_ identifier: SQLIdentifier) {
            segments.append(.sql(identifier.quoted))
        }

        /// Appends a double-quoted, optionally schema-qualified table name.
        public mutating func appendInterpolation(_ table: SQLTableName) { segments.append(.sql(table.quoted)) }

        /// Appends double-quoted identifiers separated by commas: `"a", "b"`.
        public mutating func appendInterpolation(identifiers: [SQLIdentifier]) {
            segments.append(.sql(identifiers.map(\.quoted).joined(separator: ", ")))
        }

        /// Appends another query; its bindings keep their order after the ones before it.
        public mutating func appendInterpolation(_ fragment: SQLQuery) { segments += fragment.segments }

        /// Appends `sql` verbatim. Never build it from outside input.
        public mutating func appendInterpolation(unsafeRaw sql: String) { segments.append(.sql(sql)) }
    }
}
