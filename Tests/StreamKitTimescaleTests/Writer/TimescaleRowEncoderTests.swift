import Foundation
import StreamKitTimescale
import Testing

@Suite struct TimescaleRowEncoderTests {
    struct Item: Encodable {
        var productId: String
        var quantity: Int
    }

    struct Order: Encodable {
        var orderId: UUID
        var userId: Int32
        var total: Decimal
        var tsEvent: Date
        var items: [Item]
        var note: String?
        var ignoredField = "not a column"
    }

    static let table = try! TimescaleTable(  // a literal description that is valid
        name: "orders",
        columns: [
            .init("order_id", .uuid), .init("user_id", .bigint), .init("total", .numeric(precision: 12, scale: 2)),
            .init("ts_event", .timestamptz), .init("items", .jsonb), .init("note", .text),
        ],
        upsertKey: ["order_id", "ts_event"], timeColumn: "ts_event")

    @Test func propertiesFillColumnsByName() throws {
        let id = UUID(uuidString: "6BA7B810-9DAD-11D1-80B4-00C04FD430C8")!
        let order = Order(
            orderId: id, userId: 42, total: Decimal(string: "19.90")!,
            tsEvent: Date(timeIntervalSince1970: 1_700_000_000.25),
            items: [Item(productId: "p-1", quantity: 2)], note: nil)
        let row = try TimescaleRowEncoder(table: Self.table, keyStrategy: .convertToSnakeCase).encode(order)
        #expect(
            row == [
                .uuid(id), .int64(42),  // Int32 widened to the bigint column
                .numeric(try TimescaleNumeric("19.9")),  // Decimal keeps no trailing zero; numeric(12,2) pads it
                .timestamptz(.init(microsecondsSinceUnixEpoch: 1_700_000_000_250_000)),
                .jsonb(#"[{"productId":"p-1","quantity":2}]"#), .null,
            ])
    }

    @Test func aMissingNotNullValueNamesTheColumn() {
        struct Partial: Encodable { var total: Decimal }
        #expect {
            _ = try TimescaleRowEncoder(table: Self.table).encode(Partial(total: 1))
        } throws: { error in
            (error as? TimescaleError)?.column == "order_id"
        }
    }
}
