import Foundation
import StreamKitAvro
import StreamKitKafka
import StreamKitTestSupport
import StreamKitTimescale
import Testing

/// The whole example end to end, each stage its own process, against the separate broker and PostgreSQL:
/// seeded orders (some posted twice) through the gateway, then aggregate, trends and etl as backtests. The
/// records on `order_aggregates` and `trend_alerts` and the rows in the database equal what the naive
/// reference computes from the same orders.
@Suite(
    "order-analytics pipeline", .enabled(if: TestEnvironment.hasKafkaAndTimescale, SkipReason.noKafkaOrTimescale),
    .timeLimit(.minutes(5)))
struct OrderPipelineTests {
    @Test(arguments: ["json", "avro"])
    func outputsAndRowsEqualTheReference(format: String) async throws {
        let registry = format == "avro" ? try await SchemaRegistryTestDouble() : nil
        let prefix = TestEnvironment.uniqueName("orders-\(format)") + "."
        let common =
            ["--topic-prefix", prefix, "--format", format] + (registry.map { ["--schema-registry", $0.url] } ?? [])
        let fixture = OrderFixture(seed: 7)

        let gateway = try await GatewayClient(common)
        for (index, order) in fixture.orders.enumerated() {
            #expect(try await gateway.post(order).status == 202)
            if index % 7 == 0 { #expect(try await gateway.post(order).json["duplicate"] as? Bool == true) }
        }
        try await gateway.stop()
        for stage in ["aggregate", "trends"] {
            try await ExampleProcess("order-analytics", [stage, "--backtest"] + common).expectSuccess()
        }
        let schema = TestEnvironment.uniqueSchemaName("orders")
        let database = try await TestDatabase.makeExampleSchema(schema)
        let etl =
            ["etl", "--backtest", "--timescale-url", TestDatabase.url(schema: schema, includingPublic: true)] + common
        try await ExampleProcess("order-analytics", etl).expectSuccess()

        let expected = OrderReference.aggregates(fixture.orders)
        let expectedAlerts = OrderReference.alerts(expected)
        // The fixture's bursts make the reference raise both severities, so both paths are checked.
        #expect(Set(expectedAlerts.map(\.severity)) == ["HIGH", "MEDIUM"])

        let reader = OutputReader(registry: try registry.map { try SchemaRegistryClient(url: $0.url) })
        let aggregateRecords = try await OutputReader.records(prefix + "order_aggregates")
        #expect(aggregateRecords.allSatisfy { ($0.value.first == 0) == (format == "avro") })  // Confluent magic byte
        let aggregates = try aggregateRecords.map { record in
            let value = try reader.decode(AggregateRecord.self, record.value, avroSchema: OutputReader.aggregateSchema)
            #expect(record.key == value.productId)
            return value
        }
        Self.expectEqual(aggregates, expected)
        let alerts = try await OutputReader.records(prefix + "trend_alerts").map { record in
            let value = try reader.decode(AlertRecord.self, record.value, avroSchema: OutputReader.alertSchema)
            #expect(record.key == value.productId)
            return value
        }
        Self.expectEqual(alerts, expectedAlerts)

        Self.expectEqual(try await Self.aggregateRows(database), expected)
        Self.expectEqual(try await Self.alertRows(database), expectedAlerts)

        // A replay into the same tables upserts: the rows stay exactly the same.
        try await ExampleProcess("order-analytics", etl + ["--from-beginning"]).expectSuccess()
        Self.expectEqual(try await Self.aggregateRows(database), expected)
        await database.close()
    }

    // MARK: - Reading and comparing

    static func aggregateRows(_ database: TimescaleConnection) async throws -> [AggregateRecord] {
        try await database.execute(
            """
            SELECT product_id, (extract(epoch FROM window_start) * 1000)::bigint,
                (extract(epoch FROM window_end) * 1000)::bigint, order_count, units, revenue
            FROM order_aggregates
            """
        ).map { row in
            AggregateRecord(
                productId: row[0]!, windowStartMs: Int64(row[1]!)!, windowEndMs: Int64(row[2]!)!,
                orderCount: Int(row[3]!)!, units: Int(row[4]!)!, revenue: Double(row[5]!)!)
        }
    }

    static func alertRows(_ database: TimescaleConnection) async throws -> [AlertRecord] {
        try await database.execute(
            """
            SELECT product_id, (extract(epoch FROM window_start) * 1000)::bigint,
                (extract(epoch FROM window_end) * 1000)::bigint, revenue, baseline, ratio, severity
            FROM trend_alerts
            """
        ).map { row in
            AlertRecord(
                productId: row[0]!, windowStartMs: Int64(row[1]!)!, windowEndMs: Int64(row[2]!)!,
                revenue: Double(row[3]!)!, baseline: Double(row[4]!)!, ratio: Double(row[5]!)!, severity: row[6]!)
        }
    }

    /// Equal to the reference, record for record, up to the rounding of sums added in another order.
    static func expectEqual<Output: WindowOutput>(
        _ actual: [Output], _ expected: [Output], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let order = { (a: Output, b: Output) in (a.productId, a.windowStartMs) < (b.productId, b.windowStartMs) }
        let actual = actual.sorted(by: order)
        let expected = expected.sorted(by: order)
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(actual, expected) {
            #expect(a.snapped(to: e) == e, sourceLocation: sourceLocation)
        }
    }
}
