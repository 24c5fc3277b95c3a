import Foundation
import StreamKit
import StreamKitAvro
import StreamKitKafka
import StreamKitTestSupport

/// One output record per product and window; compared with the reference up to the rounding of sums.
protocol WindowOutput: Codable, Equatable {
    var productId: String { get }
    var windowStartMs: Int64 { get }
    /// `self` with each number that is within rounding of `expected`'s replaced by it.
    func snapped(to expected: Self) -> Self
}

extension WindowOutput {
    static func isClose(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(b)) }
    static func snap(_ a: Double, _ b: Double) -> Double { isClose(a, b) ? b : a }
}

/// A record of `order_aggregates`, as the tests read it.
struct AggregateRecord: WindowOutput {
    var productId: String
    var windowStartMs: Int64
    var windowEndMs: Int64
    var orderCount: Int
    var units: Int
    var revenue: Double

    func snapped(to expected: AggregateRecord) -> AggregateRecord {
        var copy = self
        copy.revenue = Self.snap(revenue, expected.revenue)
        return copy
    }
}

/// A record of `trend_alerts`, as the tests read it.
struct AlertRecord: WindowOutput {
    var productId: String
    var windowStartMs: Int64
    var windowEndMs: Int64
    var revenue: Double
    var baseline: Double
    var ratio: Double
    var severity: String

    func snapped(to expected: AlertRecord) -> AlertRecord {
        var copy = self
        copy.revenue = Self.snap(revenue, expected.revenue)
        copy.baseline = Self.snap(baseline, expected.baseline)
        copy.ratio = Self.snap(ratio, expected.ratio)
        return copy
    }
}

/// Reads the example's topics on the separate broker and decodes them in either value format.
struct OutputReader {
    /// `nil` for JSON; for Avro, the registry the example wrote its schemas to.
    let registry: SchemaRegistryClient?

    /// Every record of `topic`, all partitions, `read_committed`, to the end at the time of the call.
    static func records(_ topic: String, partitions: Int = 3) async throws -> [(key: String, value: [UInt8])] {
        let broker = KafkaBroker(.servers(TestEnvironment.kafkaBrokers ?? ""))
        var records: [(key: String, value: [UInt8])] = []
        for partition in 0..<partitions {
            try await broker.readToEnd(TopicPartition(topic: topic, partition: partition)) { view in
                let key = view.key.map { String(decoding: $0, as: UTF8.self) } ?? ""
                records.append((key, view.value.map { Array($0) } ?? []))
            }
        }
        return records
    }

    func decode<Value: Codable & Sendable>(_ type: Value.Type, _ bytes: [UInt8], avroSchema: String) throws -> Value {
        if let registry {
            return try Serde<Value>.avro(schema: AvroSchema(json: avroSchema), registry: registry).decode(bytes)
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Value.self, from: Data(bytes))
    }

    /// The reader schemas: the wire contract of DESIGN.md section 5 in Avro.
    static let aggregateSchema = """
        {"type":"record","name":"OrderAggregate","namespace":"streamkit.orders","fields":[
          {"name":"product_id","type":"string"},
          {"name":"window_start_ms","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"window_end_ms","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"order_count","type":"long"},{"name":"units","type":"long"},{"name":"revenue","type":"double"}]}
        """
    static let alertSchema = """
        {"type":"record","name":"TrendAlert","namespace":"streamkit.orders","fields":[
          {"name":"product_id","type":"string"},
          {"name":"window_start_ms","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"window_end_ms","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"revenue","type":"double"},{"name":"baseline","type":"double"},{"name":"ratio","type":"double"},
          {"name":"severity","type":{"type":"enum","name":"Severity","symbols":["MEDIUM","HIGH"]}}]}
        """
    static let orderSchema = """
        {"type":"record","name":"OrderEvent","namespace":"streamkit.orders","fields":[
          {"name":"order_id","type":"string"},{"name":"user_id","type":"string"},
          {"name":"items","type":{"type":"array","items":{"type":"record","name":"OrderItem","fields":[
            {"name":"product_id","type":"string"},{"name":"quantity","type":"int"},{"name":"price","type":"double"}]}}},
          {"name":"total","type":"double"},
          {"name":"ts_event_ms","type":{"type":"long","logicalType":"timestamp-millis"}}]}
        """
}
