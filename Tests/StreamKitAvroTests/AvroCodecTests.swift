import Foundation
import StreamKit
import Testing

@testable import StreamKitAvro

@Suite("Avro binary codec")
struct AvroCodecTests {
    struct Pair: Codable, Equatable { var a: Int64; var b: String }
    struct Holder<T: Codable & Equatable>: Codable, Equatable { var v: T }

    func encode<T: Encodable>(_ value: T, _ schema: String) throws -> [UInt8] {
        try AvroEncoder(schema: AvroSchema(json: schema)).encode(value)
    }

    func field(_ type: String) -> String { #"{"type":"record","name":"H","fields":[{"name":"v","type":\#(type)}]}"# }

    @Test func smallValuesHaveTheBytesWorkedOutFromTheSpecification() throws {
        // long: zig-zag then base-128 varint, low group first: 1 → 2; -1 → 1; 64 → 128 = 0x80 0x01; -65 → 129 = 0x81 0x01.
        #expect(try encode(Holder(v: Int64(1)), field(#""long""#)) == [0x02])
        #expect(try encode(Holder(v: Int64(-1)), field(#""long""#)) == [0x01])
        #expect(try encode(Holder(v: Int64(64)), field(#""long""#)) == [0x80, 0x01])
        #expect(try encode(Holder(v: Int64(-65)), field(#""long""#)) == [0x81, 0x01])
        // A record is its fields in order: long 1 (0x02), string "foo" = length 3 (0x06) then the UTF-8 bytes.
        #expect(
            try encode(
                Pair(a: 1, b: "foo"),
                #"{"type":"record","name":"P","fields":[{"name":"a","type":"long"},{"name":"b","type":"string"}]}"#)
                == [0x02, 0x06, 0x66, 0x6F, 0x6F])
        // double 1.0 = 0x3FF0000000000000, little-endian.
        #expect(try encode(Holder(v: 1.0), field(#""double""#)) == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
        #expect(try encode(Holder(v: true), field(#""boolean""#)) == [0x01])
        // Union ["null","string"]: branch index as a long, then the value: nil → 0x00; "a" → 0x02 0x02 0x61.
        #expect(try encode(Holder<String?>(v: nil), field(#"["null","string"]"#)) == [0x00])
        #expect(try encode(Holder<String?>(v: "a"), field(#"["null","string"]"#)) == [0x02, 0x02, 0x61])
        // Array of int [1, 2]: one block of count 2 (0x04), items 0x02 0x04, end of blocks 0x00.
        #expect(
            try encode(Holder(v: [Int32(1), 2]), field(#"{"type":"array","items":"int"}"#)) == [0x04, 0x02, 0x04, 0x00])
        // Map {"k": 1}: count 1 (0x02), key "k" (0x02 0x6B), value 1 (0x02), end 0x00.
        #expect(
            try encode(Holder(v: ["k": 1]), field(#"{"type":"map","values":"int"}"#)) == [0x02, 0x02, 0x6B, 0x02, 0x00])
        // Enum: the symbol's index as a long, SELL = 1 → 0x02.
        #expect(
            try encode(Holder(v: Side.sell), field(#"{"type":"enum","name":"S","symbols":["BUY","SELL"]}"#)) == [0x02])
        // Fixed: the bytes, no length.
        #expect(
            try encode(Holder(v: [UInt8]([1, 2])), field(#"{"type":"fixed","name":"F","size":2}"#)) == [0x01, 0x02])
        // decimal(4,2) 12.34: unscaled 1234 = 0x04D2, two bytes (length 0x04); -0.01: unscaled -1 = 0xFF.
        let decimal = #"{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}"#
        #expect(try encode(Holder(v: Decimal(string: "12.34")!), field(decimal)) == [0x04, 0x04, 0xD2])
        #expect(try encode(Holder(v: Decimal(string: "-0.01")!), field(decimal)) == [0x02, 0xFF])
        // timestamp-millis 1 s = 1000 ms → zig-zag 2000 = 0b1111_1010000 → 0xD0 0x0F; date 1970-01-02 = day 1 → 0x02.
        #expect(
            try encode(
                Holder(v: Date(timeIntervalSince1970: 1)), field(#"{"type":"long","logicalType":"timestamp-millis"}"#))
                == [0xD0, 0x0F])
        #expect(
            try encode(Holder(v: Date(timeIntervalSince1970: 86_400)), field(#"{"type":"int","logicalType":"date"}"#))
                == [0x02])
    }

    @Test func everySupportedTypeRoundTrips() throws {
        let schema = try AvroSchema(json: everyTypeSchemaJSON)
        let bytes = try AvroEncoder(schema: schema).encode(sampleEveryType)
        #expect(try AvroDecoder(schema: schema).decode(EveryType.self, from: bytes) == sampleEveryType)
        var other = sampleEveryType
        other.note = nil
        other.maybeInner = .init(label: "x", weight: -2)
        other.tags = []
        other.counts = [:]
        let otherBytes = try AvroEncoder(schema: schema).encode(other)
        #expect(try AvroDecoder(schema: schema).decode(EveryType.self, from: otherBytes) == other)
    }

    @Test func orderEventRoundTripsThroughTheSerde() throws {
        let serde = Serde<OrderEvent>.avro(schema: try AvroSchema(json: orderSchemaJSON))
        #expect(try serde.decode(serde.encode(sampleOrder)) == sampleOrder)
    }

    @Test func fieldsEncodedOutOfSchemaOrderAreWrittenInSchemaOrder() throws {
        struct Reversed: Codable, Equatable {
            var a: Int64
            var b: String
            enum CodingKeys: String, CodingKey { case a, b }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(b, forKey: .b)
                try container.encode(a, forKey: .a)
            }
        }
        let bytes = try encode(
            Reversed(a: 1, b: "foo"),
            #"{"type":"record","name":"P","fields":[{"name":"a","type":"long"},{"name":"b","type":"string"}]}"#)
        #expect(bytes == [0x02, 0x06, 0x66, 0x6F, 0x6F])
    }

    @Test func invalidSchemasAreReportedInLibavrosWords() {
        #expect { try AvroSchema(json: #"{"type":"record","name":"R"}"#) } throws: { error in
            (error as? AvroError)?.code == .invalidSchema
        }
        #expect { try AvroSchema(json: #"{"type":"nonsense"}"#) } throws: { error in
            let error = error as? AvroError
            return error?.code == .invalidSchema && error?.reason.isEmpty == false
        }
        #expect { try AvroSchema(json: "not json") } throws: { ($0 as? AvroError)?.code == .invalidSchema }
        // libavro accepts this one; StreamKit checks the default against its type.
        #expect {
            try AvroSchema(json: #"{"type":"record","name":"R","fields":[{"name":"n","type":"int","default":"x"}]}"#)
        } throws: {
            ($0 as? AvroError)?.reason.contains("default") == true
        }
    }

    @Test func anOldWriterIsReadWithANewReaderThatAddedADefaultedFieldAndDroppedOne() throws {
        struct OrderV2: Codable, Equatable {
            var orderId: String; var total: Double; var currency: String; var coupon: String?
        }
        let v1 = try AvroSchema(
            json: #"""
                {"type":"record","name":"Order","fields":[{"name":"order_id","type":"string"},{"name":"legacy","type":"long"},
                  {"name":"total","type":"double"}]}
                """#)
        let v2 = try AvroSchema(
            json: #"""
                {"type":"record","name":"Order","fields":[{"name":"order_id","type":"string"},{"name":"total","type":"double"},
                  {"name":"currency","type":"string","default":"EUR"},{"name":"coupon","type":["null","string"],"default":null}]}
                """#)
        struct OrderV1: Codable { var orderId: String; var legacy: Int64; var total: Double }
        let old = try AvroEncoder(schema: v1).encode(OrderV1(orderId: "o-1", legacy: 7, total: 2.5))
        let decoded = try AvroDecoder(writer: v1, reader: v2).decode(OrderV2.self, from: old)
        #expect(decoded == OrderV2(orderId: "o-1", total: 2.5, currency: "EUR", coupon: nil))
    }

    @Test func aReaderFieldWithoutDefaultThatTheWriterLacksIsRefused() throws {
        let v1 = try AvroSchema(json: #"{"type":"record","name":"O","fields":[{"name":"a","type":"long"}]}"#)
        let v2 = try AvroSchema(
            json: #"{"type":"record","name":"O","fields":[{"name":"a","type":"long"},{"name":"b","type":"long"}]}"#)
        #expect { try AvroDecoder(writer: v1, reader: v2) } throws: { error in
            let error = error as? AvroError
            return error?.code == .incompatibleSchemas && error?.field == "b"
        }
    }

    @Test func truncatedAndCorruptBytesAreSerdeErrorsNamingTheField() throws {
        let schema = try AvroSchema(json: orderSchemaJSON)
        let decoder = AvroDecoder(schema: schema)
        let bytes = try AvroEncoder(schema: schema).encode(sampleOrder)
        for cut in 0..<bytes.count {
            #expect(throws: SerdeError.self) { try decoder.decode(OrderEvent.self, from: Array(bytes[..<cut])) }
        }
        #expect(throws: SerdeError.self) { try decoder.decode(OrderEvent.self, from: bytes + [0]) }
        // order_id claims 2^62 bytes; items claims an absurd count.
        #expect(throws: SerdeError.self) {
            try decoder.decode(OrderEvent.self, from: [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        }
        let error = try #require(throws: SerdeError.self) {
            try decoder.decode(OrderEvent.self, from: [0x02, 0x61, 0x02, 0x62, 0xFE, 0xFF, 0xFF, 0x7F])
        }
        #expect(error.field == "items")
        let wrongType = try #require(throws: SerdeError.self) {
            try AvroDecoder(schema: schema).decode(Holder<Int64>.self, from: bytes)
        }
        #expect(wrongType.reason.contains("v"))
    }

    @Test func encodingErrorsNameTheField() throws {
        struct Missing: Codable { var orderId: String }
        #expect { try encode(Missing(orderId: "x"), orderSchemaJSON) } throws: { error in
            (error as? AvroError)?.reason.contains("user_id") == true
        }
        #expect { try encode(Holder(v: Int64.max), field(#""int""#)) } throws: { ($0 as? AvroError)?.field == "v" }
    }

    @Test func confluentHeaderIsMagicByteAndBigEndianID() throws {
        var out: [UInt8] = []
        ConfluentWireFormat.writeHeader(schemaID: 258, into: &out)
        #expect(out == [0, 0, 0, 1, 2])  // 258 = 0x00000102
        let (id, body) = try (out + [7]).withUnsafeBytes { raw in
            let parsed = try ConfluentWireFormat.parseHeader(raw)
            return (parsed.schemaID, Array(parsed.body))
        }
        #expect(id == 258 && body == [7])
        #expect { try [UInt8]([1, 0, 0, 0, 1]).withUnsafeBytes { try ConfluentWireFormat.parseHeader($0) } } throws: {
            ($0 as? SerdeError)?.reason.contains("magic byte is 1") == true
        }
        #expect(throws: SerdeError.self) {
            try [UInt8]([0, 0]).withUnsafeBytes { try ConfluentWireFormat.parseHeader($0) }
        }
    }
}
