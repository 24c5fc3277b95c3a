import Foundation
import Testing

@testable import StreamKitJSON

private struct Order: Codable, Equatable {
    struct Item: Codable, Equatable {
        var productId: String
        var quantity: Int8
        var price: Double
    }
    var orderId: String
    var items: [Item]
    var total: Double
}

private class Animal: Codable {
    var legs: Int
    init(legs: Int) { self.legs = legs }
}

private final class Dog: Animal, @unchecked Sendable {
    var name: String
    enum CodingKeys: String, CodingKey { case name }

    init(name: String, legs: Int) {
        self.name = name
        super.init(legs: legs)
    }

    required init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        try super.init(from: container.superDecoder())
    }

    override func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try super.encode(to: container.superEncoder())
    }
}

@Suite("JSON decoder")
struct JSONDecoderTests {
    let decoder = StreamJSONDecoder()

    @Test func decodesTheTickShape() throws {
        let json =
            #"{"symbol":"TTF-GAS","bid":31.25,"ask":31.5,"bid_volume":120.0,"ask_volume":95.5,"#
            + #""ts_event_ms":1763800000123,"ts_ingest_ms":1763800000125,"sequence":42}"#
        let tick = try decoder.decode(WireTick.self, from: Array(json.utf8))
        #expect(
            tick
                == WireTick(
                    symbol: "TTF-GAS", bid: 31.25, ask: 31.5, bidVolume: 120, askVolume: 95.5,
                    tsEventMs: 1_763_800_000_123, tsIngestMs: 1_763_800_000_125, sequence: 42))
    }

    @Test func readsMembersInAnyOrderAndIgnoresUnknownOnes() throws {
        let json =
            #"{"sequence":42,"extra":{"deep":[1,2,{"x":null}]},"ts_ingest_ms":2,"ts_event_ms":1,"#
            + #""ask_volume":4,"bid_volume":3,"ask":2,"bid":1,"symbol":"S"}"#
        let tick = try decoder.decode(WireTick.self, from: Array(json.utf8))
        #expect(
            tick
                == WireTick(
                    symbol: "S", bid: 1, ask: 2, bidVolume: 3, askVolume: 4, tsEventMs: 1, tsIngestMs: 2, sequence: 42))
    }

    @Test func decodesInPlaceFromARawBuffer() throws {
        let bytes = Array(#"[1,2,3]"#.utf8)
        let values = try bytes.withUnsafeBytes { try decoder.decode([Int].self, from: $0) }
        #expect(values == [1, 2, 3])
    }

    @Test func errorsNameTheCodingPathAndOffset() throws {
        let json =
            #"{"order_id":"A","items":[{"product_id":"p","quantity":1,"price":2},"#
            + #"{"product_id":"q","quantity":1,"price":"x"}],"total":3}"#
        let error = try #require(streamError(Order.self, Array(json.utf8), decoder: decoder))
        #expect(error.kind == .typeMismatch)
        #expect(error.codingPath == "items[1].price")
        #expect(error.byteOffset == json.utf8.count - 16)  // the quote of "x", followed by `"x"}],"total":3}`
        #expect(error.description.contains("expected a number, found a string"))
    }

    @Test func integerOverflowOfTheTargetTypeIsAnError() throws {
        let json = #"{"order_id":"A","items":[{"product_id":"p","quantity":128,"price":2}],"total":3}"#
        let error = try #require(streamError(Order.self, Array(json.utf8), decoder: decoder))
        #expect(error.kind == .numberOutOfRange)
        #expect(error.codingPath == "items[0].quantity")
        #expect(error.byteOffset == 54)
    }

    @Test func missingKeysAndNullsAreReportedWithTheirPath() throws {
        let missing = try #require(
            streamError(Order.self, Array(#"{"order_id":"A","items":[]}"#.utf8), decoder: decoder))
        #expect(missing.kind == .keyNotFound)
        #expect(missing.codingPath == "total")
        #expect(missing.reason == "missing field 'total' in the object at byte 0")
        let null = try #require(
            streamError(Order.self, Array(#"{"order_id":null,"items":[],"total":1}"#.utf8), decoder: decoder))
        #expect(null.kind == .valueNotFound)
        #expect(null.codingPath == "orderId")  // paths use the Swift names
    }

    @Test(
        "integers at the edges of their types",
        arguments: [
            ("9223372036854775807", Int64.max as Int64?), ("-9223372036854775808", Int64.min),
            ("9223372036854775808", nil), ("-9223372036854775809", nil), ("1e18", 1_000_000_000_000_000_000),
            ("1.0", 1), ("1.5", nil), ("-0", 0), ("92233720368547758070e-1", Int64.max), ("1e19", nil),
            ("0.0e5", 0), ("12345678901234567890123", nil),
        ])
    func int64Edges(text: String, expected: Int64?) throws {
        let result = try? decoder.decode(Int64.self, from: Array(text.utf8))
        #expect(result == expected, "\(text)")
        // Foundation agrees, except that it refuses Int64.max written with an exponent, which is exact.
        if text != "92233720368547758070e-1" {
            #expect((try? JSONDecoder().decode(Int64.self, from: Data(text.utf8))) == expected, "\(text)")
        }
    }

    @Test func unsignedAndNarrowIntegers() throws {
        #expect(try decoder.decode(UInt64.self, from: Array("18446744073709551615".utf8)) == .max)
        #expect(streamError(UInt64.self, Array("18446744073709551616".utf8))?.kind == .numberOutOfRange)
        #expect(streamError(UInt.self, Array("-1".utf8))?.kind == .numberOutOfRange)
        #expect(try decoder.decode(Int8.self, from: Array("-128".utf8)) == -128)
        #expect(streamError(Int8.self, Array("-129".utf8))?.kind == .numberOutOfRange)
        #expect(try decoder.decode(UInt8.self, from: Array("255".utf8)) == 255)
    }

    @Test(
        "doubles at the edges",
        arguments: [
            ("1.7976931348623157e308", Double.greatestFiniteMagnitude as Double?),
            ("5e-324", Double.leastNonzeroMagnitude), ("2.2250738585072014e-308", Double.leastNormalMagnitude),
            ("9007199254740993", 9_007_199_254_740_992), ("1e23", 1e23), ("-0.0", -0.0), ("0.1", 0.1),
            ("1.7976931348623159e308", nil), ("1e400", nil), ("1e-400", nil),
            ("123456789012345678901234567890", 1.2345678901234568e29),
        ])
    func doubleEdges(text: String, expected: Double?) throws {
        let result = try? decoder.decode(Double.self, from: Array(text.utf8))
        #expect(result?.bitPattern == expected?.bitPattern, "\(text)")
        #expect((try? JSONDecoder().decode(Double.self, from: Data(text.utf8)))?.bitPattern == expected?.bitPattern)
    }

    @Test func floatsRoundOnceFromTheDecimalText() throws {
        // 1.00000005960464477539062500001 lies just above the midpoint between 1 and the next Float:
        // rounding through Double first would give 1.0.
        let text = "1.00000005960464477539062500001"
        #expect(try decoder.decode(Float.self, from: Array(text.utf8)) == Float(text)!)
        #expect(try decoder.decode(Float.self, from: Array(text.utf8)) == 1.0000001)
        #expect(streamError(Float.self, Array("1e39".utf8))?.kind == .numberOutOfRange)
    }

    @Test func foundationTypesDecodeAsFoundationsDefaults() throws {
        struct Mixed: Codable, Equatable {
            var date: Date
            var data: Data
            var url: URL
            var amount: Decimal
        }
        let value = Mixed(
            date: Date(timeIntervalSinceReferenceDate: 1.5), data: Data([1, 2, 3, 255]),
            url: URL(string: "https://x.y/a?b=c")!, amount: Decimal(string: "12.345")!)
        let json = try JSONEncoder().encode(value)
        #expect(try decoder.decode(Mixed.self, from: Array(json)) == value)
        #expect(streamError(Data.self, Array(#""not base64!""#.utf8))?.kind == .dataCorrupted)
    }

    @Test func classHierarchiesUseSuperDecoderAndSuperEncoder() throws {
        let foundationJSON = try JSONEncoder().encode(Dog(name: "Rex", legs: 4))
        let dog = try StreamJSONDecoder().decode(Dog.self, from: Array(foundationJSON))
        #expect(dog.name == "Rex" && dog.legs == 4)
        let ours = try StreamJSONEncoder().encode(Dog(name: "Bo", legs: 3))
        let back = try JSONDecoder().decode(Dog.self, from: Data(ours))
        #expect(back.name == "Bo" && back.legs == 3)
    }

    @Test func stringKeyedDictionariesKeepTheirKeys() throws {
        let json = Array(#"{"snake_key":1,"camelKey":2}"#.utf8)
        let expected = try foundationDecoder(snakeCase: true).decode([String: Int].self, from: Data(json))
        #expect(try decoder.decode([String: Int].self, from: json) == expected)
        #expect(expected == ["snake_key": 1, "camelKey": 2])
        #expect(try decoder.decode([String: Int].self, from: Array(#"{"a":1,"a":2}"#.utf8)) == ["a": 1])
    }

    @Test func optionalsDistinguishNullMissingAndPresent() throws {
        struct Opt: Codable, Equatable {
            var a: Int?
            var b: String?
        }
        #expect(try decoder.decode(Opt.self, from: Array(#"{"a":null}"#.utf8)) == Opt(a: nil, b: nil))
        #expect(try decoder.decode(Opt.self, from: Array(#"{"b":"x","a":3}"#.utf8)) == Opt(a: 3, b: "x"))
        #expect(try decoder.decode([Int?].self, from: Array("[1,null,2]".utf8)) == [1, nil, 2])
    }

    @Test func aDecoderIsReusableAfterAnError() throws {
        #expect(streamError(WireTick.self, Array("{".utf8), decoder: decoder) != nil)
        #expect(try decoder.decode([Int].self, from: Array("[7]".utf8)) == [7])
    }
}

@Suite("JSON dictionaries with non-string keys")
struct JSONNonStringKeyTests {
    @Test func intKeyedDictionariesRoundTripLikeFoundation() throws {
        let value: [Int: String] = [1: "a", -20: "b_c", 300: ""]
        let foundationJSON = try foundationEncoder(snakeCase: true).encode(value)
        #expect(try StreamJSONDecoder().decode([Int: String].self, from: Array(foundationJSON)) == value)
        let ours = try StreamJSONEncoder().encode(value)
        #expect(try foundationDecoder(snakeCase: true).decode([Int: String].self, from: Data(ours)) == value)
    }
}
