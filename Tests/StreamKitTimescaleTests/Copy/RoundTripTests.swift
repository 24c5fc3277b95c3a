import Foundation
import StreamKitTestSupport
import StreamKitTimescale
import Testing

/// Every supported type through binary COPY and through bind parameters, read back as the server's own
/// text (`::text`, session time zone UTC) and compared with strings written by hand.
@Suite(.enabled(if: TestEnvironment.hasTimescale, SkipReason.noTimescale))
struct RoundTripTests {
    static let columns: [TimescaleColumn] = [
        .init("id", .integer, isNullable: false), .init("b", .boolean), .init("i2", .smallint), .init("i4", .integer),
        .init("i8", .bigint), .init("f4", .real), .init("f8", .doublePrecision), .init("n", .numeric),
        .init("t", .text), .init("ts", .timestamptz), .init("j", .jsonb), .init("u", .uuid),
    ]

    static let uuid = UUID(uuidString: "6BA7B810-9DAD-11D1-80B4-00C04FD430C8")!

    /// (row, expected `::text` of each column; nil is NULL).
    static func cases() throws -> [(TimescaleRow, [String?])] {
        [
            (
                [
                    .int32(1), .bool(true), .int16(.min), .int32(.min), .int64(.min), .float32(-.infinity),
                    .float64(-.infinity), .numeric(try TimescaleNumeric("-123456789012345678901234567890.123456789")),
                    .text(""), .timestamptz(.init(millisecondsSinceUnixEpoch: 0)), .jsonb("{}"), .uuid(uuid),
                ],
                [
                    "1", "true", "-32768", "-2147483648", "-9223372036854775808", "-Infinity", "-Infinity",
                    "-123456789012345678901234567890.123456789", "", "1970-01-01 00:00:00+00", "{}",
                    "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                ]
            ),
            (
                [
                    .int32(2), .bool(false), .int16(.max), .int32(.max), .int64(.max), .float32(.infinity),
                    .float64(.greatestFiniteMagnitude), .numeric(try TimescaleNumeric("1234.5600")),
                    .text("Grüße, 東京 🚀 \"quoted\" back\\slash"),
                    .timestamptz(.init(millisecondsSinceUnixEpoch: 1_700_000_000_123)),
                    .jsonb(#"{"b": [1, 2], "a": "x"}"#),
                    .uuid(UUID(uuidString: "00000000-0000-0000-0000-000000000000")!),
                ],
                [
                    "2", "false", "32767", "2147483647", "9223372036854775807", "Infinity", "1.7976931348623157e+308",
                    "1234.5600", "Grüße, 東京 🚀 \"quoted\" back\\slash",
                    // 1 700 000 000 s after the epoch is 2023-11-14 22:13:20 UTC.
                    "2023-11-14 22:13:20.123+00",
                    // jsonb sorts keys (shorter first, then bytewise) and normalises spacing.
                    #"{"a": "x", "b": [1, 2]}"#, "00000000-0000-0000-0000-000000000000",
                ]
            ),
            (
                [
                    .int32(3), .null, .int16(0), .int32(-1), .int64(0), .float32(.nan), .float64(.nan),
                    .numeric(.nan), .text("'; DROP TABLE x; --"),
                    .timestamptz(.init(microsecondsSinceUnixEpoch: -1)), .jsonb(#"["é", null, 1.5e3]"#), .null,
                ],
                [
                    "3", nil, "0", "-1", "0", "NaN", "NaN", "NaN", "'; DROP TABLE x; --",
                    // jsonb keeps numbers as numeric: 1.5e3 = 1500
                    "1969-12-31 23:59:59.999999+00", #"["é", null, 1500]"#, nil,
                ]
            ),
            (
                [
                    .int32(4), .null, .null, .null, .null, .float32(1.5), .float64(-0.0),
                    .numeric(TimescaleNumeric(Int64(0))),
                    .null, .null, .null, .null,
                ],
                ["4", nil, nil, nil, nil, "1.5", "-0", "0", nil, nil, nil, nil]
            ),
        ]
    }

    private func readBack(_ pg: TimescaleConnection, _ table: SQLIdentifier) async throws -> [[String?]] {
        let list = Self.columns.map { "\(try! SQLIdentifier($0.name).quoted)::text" }.joined(separator: ", ")
        return try await pg.execute("SELECT \(unsafeRaw: list) FROM \(table) ORDER BY id").map(\.values)
    }

    private func createTable(_ pg: TimescaleConnection) async throws -> SQLIdentifier {
        let table = try TimescaleTable(name: "all_types", columns: Self.columns, upsertKey: ["id"])
        try await pg.ensureSchema(for: table)
        return try SQLIdentifier("all_types")
    }

    @Test func everyTypeThroughBinaryCopy() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("copy_types")
        let table = try await createTable(pg)
        let cases = try Self.cases()
        let copied = try await pg.copy(into: SQLTableName(name: table), columns: Self.columns, rows: cases.map(\.0))
        #expect(copied == cases.count)
        #expect(try await readBack(pg, table) == cases.map(\.1))
        try await TestDatabase.dropSchema(schema)
    }

    @Test func everyTypeThroughBindParameters() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("param_types")
        let table = try await createTable(pg)
        let cases = try Self.cases()
        let names = Self.columns.map { try! SQLIdentifier($0.name) }
        for (row, _) in cases {
            let values = SQLQuery.joined(row.values.map { "\($0)" }, separator: ", ")
            try await pg.execute("INSERT INTO \(table) (\(identifiers: names)) VALUES (\(values))")
        }
        #expect(try await readBack(pg, table) == cases.map(\.1))

        // Straight back from a parameter, without a table: `SELECT $1::text`.
        for (row, expected) in cases {
            for (value, text) in zip(row.values, expected) {
                #expect(try await TestDatabase.scalar(pg, "SELECT (\(value))::text") == text)
            }
        }
        try await TestDatabase.dropSchema(schema)
    }

    @Test func preparedStatementsConvertAndSurviveReconnect() async throws {
        let (pg, schema) = try await TestDatabase.makeSchema("prepared")
        let table = try await createTable(pg)
        let insert = try await pg.prepare(
            "insert_row", "INSERT INTO all_types (id, i8, t) VALUES ($1, $2, $3)",
            parameterTypes: [.integer, .bigint, .text])
        try await pg.execute(insert, [.int64(10), .int32(-7), .text("first")])  // widened / narrowed exactly
        try await pg.reconnect()
        try await pg.execute(insert, [.int32(11), .int64(.max), .text("after reconnect")])
        let rows = try await pg.execute("SELECT id::text, i8::text, t FROM \(table) ORDER BY id").map(\.values)
        #expect(rows == [["10", "-7", "first"], ["11", "9223372036854775807", "after reconnect"]])
        await #expect(throws: TimescaleError.self) {
            try await pg.execute(insert, [.text("not an int"), .int64(1), .text("x")])
        }
        try await TestDatabase.dropSchema(schema)
    }
}
