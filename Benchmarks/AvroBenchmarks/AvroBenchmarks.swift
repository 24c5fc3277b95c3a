import Benchmark
import StreamKit
import StreamKitAvro

/// The order event of DESIGN.md section 5 (`order_events`), two items per order.
struct OrderEvent: Codable, Sendable {
    struct Item: Codable, Sendable {
        var productId: String
        var quantity: Int32
        var price: Double
    }
    var orderId: String
    var userId: String
    var items: [Item]
    var total: Double
    var tsEventMs: Int64
}

let orderSchema = try! AvroSchema(
    json: """
        {"type":"record","name":"OrderEvent","fields":[
          {"name":"order_id","type":"string"},
          {"name":"user_id","type":"string"},
          {"name":"items","type":{"type":"array","items":{"type":"record","name":"Item","fields":[
            {"name":"product_id","type":"string"},{"name":"quantity","type":"int"},{"name":"price","type":"double"}]}}},
          {"name":"total","type":"double"},
          {"name":"ts_event_ms","type":{"type":"long","logicalType":"timestamp-millis"}}]}
        """)

let order = OrderEvent(
    orderId: "ord-000123456", userId: "user-4711",
    items: [
        .init(productId: "sku-1001", quantity: 2, price: 19.99), .init(productId: "sku-2002", quantity: 1, price: 5.5),
    ],
    total: 45.48, tsEventMs: 1_763_800_000_123)

let benchmarks: @Sendable () -> Void = {
    // Each measured iteration handles 1,000 records; the scaled figures (marked `*`) are per record, so
    // throughput reads as records per second and malloc counts as allocations per record.
    let configuration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal, .cpuTotal], scalingFactor: .kilo,
        maxDuration: .seconds(3))

    let formats: [(String, Serde<OrderEvent>)] = [("Avro", .avro(schema: orderSchema)), ("JSON", .json)]
    for (name, serde) in formats {
        Benchmark("Encode order: \(name) into a reused buffer", configuration: configuration) { benchmark in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(512)
            for _ in benchmark.scaledIterations {
                buffer.removeAll(keepingCapacity: true)
                try? serde.serialize(order, &buffer)
                blackHole(buffer.count)
            }
        }

        Benchmark("Decode order: \(name)", configuration: configuration) { benchmark in
            let payload = try! serde.encode(order)
            payload.withUnsafeBytes { bytes in
                for _ in benchmark.scaledIterations { blackHole(try? serde.deserialize(bytes)) }
            }
        }
    }
}
