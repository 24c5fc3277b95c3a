import Foundation
import Testing

@testable import StreamKitTimescale

@Suite struct SQLQueryTests {
    @Test func interpolatedValuesBecomeNumberedBindings() throws {
        let table = try SQLTableName("market.ticks")
        let symbol = "TTF-GAS"
        let limit: Int? = nil
        let query: SQLQuery = "SELECT * FROM \(table) WHERE symbol = \(symbol) AND bid > \(1.5) LIMIT \(limit)"
        #expect(query.sql == #"SELECT * FROM "market"."ticks" WHERE symbol = $1 AND bid > $2 LIMIT $3"#)
        #expect(query.bindings == [.text("TTF-GAS"), .float64(1.5), .null])
        #expect(query.description == query.sql)
    }

    @Test func joinedQueriesRenumberPlaceholders() {
        let first: SQLQuery = "a = \(1)"
        let second: SQLQuery = "b = \(2)"
        let joined = SQLQuery.joined([first, second], separator: " AND ")
        #expect(joined.sql == "a = $1 AND b = $2")
        #expect(joined.bindings == [.int64(1), .int64(2)])
        #expect(("SELECT 1 WHERE " + first).sql == "SELECT 1 WHERE a = $1")
    }

    @Test func hostileValuesNeverReachTheSQLText() {
        let hostile = "'; DROP TABLE x; --"
        let query: SQLQuery = "INSERT INTO t VALUES (\(hostile))"
        #expect(query.sql == "INSERT INTO t VALUES ($1)")
        #expect(!query.description.contains("DROP"))
    }

    @Test(arguments: [
        "x\"; DROP TABLE y; --", "a;b", "'; DROP TABLE x; --", "", "1abc", "tab\tname", "a.b.c",
        String(repeating: "n", count: 64),
    ])
    func invalidIdentifiersAreConfigurationErrorsNamingTheSetting(name: String) {
        #expect {
            _ = try SQLTableName(name, setting: "table")
        } throws: { error in
            let error = error as! TimescaleError
            return error.code == .configuration && error.description.contains("setting table")
        }
    }

    @Test func identifiersAreQuotedAndKeepCase() throws {
        #expect(try SQLIdentifier("Bars_1s").quoted == #""Bars_1s""#)
        #expect(try SQLIdentifier("orderbook-raw").quoted == #""orderbook-raw""#)
        #expect(try SQLIdentifier("größe").quoted == #""größe""#)
        #expect(try SQLTableName("public.bars").quoted == #""public"."bars""#)
    }

    @Test func tableDescriptionRejectsUnknownKeyColumns() {
        #expect(throws: TimescaleError.self) {
            try TimescaleTable(name: "t", columns: [.init("a", .text)], upsertKey: ["b"])
        }
        // TimescaleDB requires the time column in every unique key.
        #expect(throws: TimescaleError.self) {
            try TimescaleTable(
                name: "t", columns: [.init("a", .text), .init("ts", .timestamptz)], upsertKey: ["a"], timeColumn: "ts")
        }
    }
}
