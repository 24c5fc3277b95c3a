import StreamKit
import StreamKitTestSupport
import StreamKitTimescale
import Testing

/// Configuration errors surface when the sink is made; no server is needed.
@Suite struct TimescaleSinkConfigurationTests {
    /// A connection that is never opened: making a sink does not connect.
    static func connection() throws -> TimescaleConnection {
        try TimescaleConnection("postgres://streamkit@127.0.0.1:1/unused")
    }

    static func message(_ make: () throws -> Void) -> String? {
        do {
            try make()
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func badSettingsThrowNamingTheSetting() throws {
        let pg = try Self.connection()
        let cases: [(String, () throws -> Void)] = [
            ("table", { _ = try TimescaleSink<Tick>(table: "ticks; DROP TABLE x", on: pg, upsertKey: ["sequence"]) }),
            ("upsertKey", { _ = try TimescaleSink<Tick>(table: "ticks", on: pg, upsertKey: ["seq"]) }),
            ("timeColumn", { _ = try TimescaleSink<Tick>(table: "ticks", on: pg, upsertKey: [], timeColumn: "ts") }),
            ("batchSize", { _ = try TimescaleSink<Tick>(table: "ticks", on: pg, upsertKey: [], batchSize: 0) }),
            ("maxBatchAge", { _ = try TimescaleSink<Tick>(table: "ticks", on: pg, upsertKey: [], maxBatchAge: .zero) }),
            (
                "guarantee.offsetsTable",
                {
                    _ = try TimescaleSink<Tick>(
                        table: "ticks", on: pg, upsertKey: [],
                        guarantee: .exactlyOnce(group: "g", offsetsTable: "a.b.c"))
                }
            ),
        ]
        for (setting, make) in cases {
            let message = try #require(Self.message(make), "\(setting) was accepted")
            #expect(message.hasPrefix("TimescaleError.configuration"), "\(message)")
            #expect(message.contains("setting \(setting):"), "\(message)")
        }
        #expect(
            Self.message { _ = try TimescaleSink<Tick>(table: "ticks", on: pg, upsertKey: ["seq"]) }?
                .contains("\"seq\" is not one of the table's columns") == true)
    }

    @Test func columnsComeFromTheRowTypeInSnakeCase() throws {
        let table = try TimescaleTable(
            name: "bars_1s", rowType: BarRow.self, upsertKey: ["symbol", "window_start"], timeColumn: "window_start")
        #expect(
            table.columns == [
                TimescaleColumn("symbol", .text, isNullable: false),
                TimescaleColumn("window_start", .timestamptz, isNullable: false),
                TimescaleColumn("window_end", .timestamptz, isNullable: false),
                TimescaleColumn("tick_count", .bigint, isNullable: false),
                TimescaleColumn("mean_mid", .doublePrecision, isNullable: false),
                TimescaleColumn("min_bid", .doublePrecision, isNullable: false),
                TimescaleColumn("max_ask", .doublePrecision, isNullable: false),
            ])

        struct Event: Codable { var id: Int32; var note: String?; var tags: [String]; var bar: Bar? }
        let events = try TimescaleTable(name: "events", rowType: Event.self, upsertKey: ["id"])
        #expect(
            events.columns == [
                TimescaleColumn("id", .integer, isNullable: false), TimescaleColumn("note", .text, isNullable: true),
                TimescaleColumn("tags", .jsonb, isNullable: false), TimescaleColumn("bar", .jsonb, isNullable: true),
            ])
    }
}
