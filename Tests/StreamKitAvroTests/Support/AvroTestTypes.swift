import Foundation
import StreamKitAvro

/// The order event of DESIGN.md section 5 (`order_events`).
struct OrderEvent: Codable, Equatable, Sendable {
    struct Item: Codable, Equatable, Sendable {
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

let orderSchemaJSON = """
    {"type":"record","name":"OrderEvent","namespace":"shop","fields":[
      {"name":"order_id","type":"string"},
      {"name":"user_id","type":"string"},
      {"name":"items","type":{"type":"array","items":{"type":"record","name":"Item","fields":[
        {"name":"product_id","type":"string"},{"name":"quantity","type":"int"},{"name":"price","type":"double"}]}}},
      {"name":"total","type":"double"},
      {"name":"ts_event_ms","type":{"type":"long","logicalType":"timestamp-millis"}}]}
    """

let sampleOrder = OrderEvent(
    orderId: "o-1", userId: "u-7",
    items: [.init(productId: "p-1", quantity: 2, price: 9.5), .init(productId: "p-2", quantity: 1, price: 3.25)],
    total: 22.25, tsEventMs: 1_763_800_000_123)

enum Side: String, Codable, Equatable, Sendable { case buy = "BUY", sell = "SELL" }

/// One field of every supported kind.
struct EveryType: Codable, Equatable, Sendable {
    struct Inner: Codable, Equatable, Sendable { var label: String; var weight: Float }
    var flag: Bool
    var small: Int32
    var big: Int64
    var ratio: Float
    var price: Double
    var name: String
    var blob: [UInt8]
    var tags: [String]
    var counts: [String: Int]
    var side: Side
    var hash: [UInt8]
    var note: String?
    var inner: Inner
    var maybeInner: Inner?
    var at: Date
    var atMicros: Date
    var day: Date
    var id: UUID
    var amount: Decimal
    var fixedAmount: Decimal
    var nothing: String? = nil
}

let everyTypeSchemaJSON = """
    {"type":"record","name":"EveryType","fields":[
      {"name":"flag","type":"boolean"},
      {"name":"small","type":"int"},
      {"name":"big","type":"long"},
      {"name":"ratio","type":"float"},
      {"name":"price","type":"double"},
      {"name":"name","type":"string"},
      {"name":"blob","type":"bytes"},
      {"name":"tags","type":{"type":"array","items":"string"}},
      {"name":"counts","type":{"type":"map","values":"long"}},
      {"name":"side","type":{"type":"enum","name":"Side","symbols":["BUY","SELL"]}},
      {"name":"hash","type":{"type":"fixed","name":"Hash4","size":4}},
      {"name":"note","type":["null","string"],"default":null},
      {"name":"inner","type":{"type":"record","name":"Inner","fields":[
        {"name":"label","type":"string"},{"name":"weight","type":"float"}]}},
      {"name":"maybe_inner","type":["null","Inner"],"default":null},
      {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},
      {"name":"at_micros","type":{"type":"long","logicalType":"timestamp-micros"}},
      {"name":"day","type":{"type":"int","logicalType":"date"}},
      {"name":"id","type":{"type":"string","logicalType":"uuid"}},
      {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
      {"name":"fixed_amount","type":{"type":"fixed","name":"Amount8","size":8,"logicalType":"decimal","precision":18,"scale":4}},
      {"name":"nothing","type":["null","string"],"default":null}]}
    """

let sampleEveryType = EveryType(
    flag: true, small: -42, big: 9_000_000_000, ratio: 0.5, price: 31.25, name: "TTF-GAS ✓", blob: [0, 1, 254, 255],
    tags: ["a", "bb"], counts: ["x": 1, "y": -2], side: .sell, hash: [0xDE, 0xAD, 0xBE, 0xEF], note: "hello",
    inner: .init(label: "in", weight: 1.5), maybeInner: nil, at: Date(timeIntervalSince1970: 1_700_000_000.123),
    atMicros: Date(timeIntervalSince1970: 1_700_000_000.5), day: Date(timeIntervalSince1970: 19_000 * 86_400),
    id: UUID(uuidString: "123e4567-e89b-12d3-a456-426614174000")!, amount: Decimal(string: "12.34")!,
    fixedAmount: Decimal(string: "-7.0625")!)

/// Whether `python3` with `fastavro` is usable here (the interop tests need it); found out once.
let hasFastavro = Task { await PythonRunner.ensureFastavro() }
/// Whether `python3` runs at all (the registry test double is a Python http.server); found out once.
let hasPython = Task { (try? await PythonRunner.run("print('ok')"))?.hasPrefix("ok") ?? false }
