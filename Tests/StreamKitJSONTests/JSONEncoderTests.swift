import Foundation
import PropertyBased
import Testing

@testable import StreamKitJSON

@Suite("JSON encoder")
struct JSONEncoderTests {
    let encoder = StreamJSONEncoder()

    private func text<T: Encodable>(_ value: T, keyMapping: JSONKeyMapping = .snakeCase) throws -> String {
        String(decoding: try StreamJSONEncoder(keyMapping: keyMapping).encode(value), as: UTF8.self)
    }

    @Test func encodesTheBarShapeWithSnakeCaseNames() throws {
        let bar = WireBar(
            symbol: "TTF-GAS", windowStart: 1_763_800_000_000, windowEnd: 1_763_800_001_000, count: 12,
            meanMid: 31.375, minBid: 31.25, maxAsk: 31.5, spread: 0.25, lastSequence: 42)
        // Written by hand from the declaration order of `WireBar`.
        let expected =
            #"{"symbol":"TTF-GAS","window_start":1763800000000,"window_end":1763800001000,"count":12,"#
            + #""mean_mid":31.375,"min_bid":31.25,"max_ask":31.5,"spread":0.25,"last_sequence":42}"#
        #expect(try text(bar) == expected)
    }

    @Test func appendsToTheCallersBufferAndLeavesItIntactOnError() throws {
        var buffer = Array("prefix:".utf8)
        try encoder.encode([1, 2], into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "prefix:[1,2]")
        #expect(throws: JSONError.self) { try encoder.encode([1.0, .nan], into: &buffer) }
        #expect(String(decoding: buffer, as: UTF8.self) == "prefix:[1,2]")
    }

    @Test func escapesStringsAsRFC8259Requires() throws {
        #expect(
            try text("a\"b\\c/\n\r\t\u{8}\u{C}\u{0}\u{1F}\u{7F}é😀") == #""a\"b\\c/\n\r\t\b\f\u0000\u001f"#
                + "\u{7F}é😀\"")
    }

    @Test(
        "doubles are written as Foundation writes them",
        arguments: [
            0.1, -0.0, 100.0, 1e300, 1e-7, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 31.25, 1e16, 123.456,
            -Double.leastNormalMagnitude / 3,
        ])
    func doublesMatchFoundation(value: Double) throws {
        let foundation = String(decoding: try JSONEncoder().encode([value]), as: UTF8.self)
        #expect(try text([value]) == foundation)
    }

    @Test("decimals with few digits are written as the standard library's description writes them")
    func shortDecimalsMatchTheStandardLibrary() async throws {
        await propertyCheck(count: 3_000, input: Gen.uint64(), Gen.int(in: 0...18), Gen.bool) {
            bits, point, isNegative in
            // One to twenty digits with the point anywhere: both sides of 15 digits, 2^50 and 0.001.
            let digits = String(bits >> (bits & 63))
            let split = digits.index(digits.endIndex, offsetBy: -min(point, digits.count))
            let fraction = digits[split...].isEmpty ? "" : "." + digits[split...]
            let value = try #require(Double((isNegative ? "-" : "") + "0" + digits[..<split] + fraction))
            var expected = value.description
            if expected.hasSuffix(".0") { expected.removeLast(2) }
            #expect(try text(value) == expected)
        }
    }

    @Test func nonFiniteNumbersAreRefused() throws {
        let error = try #require(throws: JSONError.self) { try encoder.encode(["x": Double.infinity]) }
        #expect(error.kind == .invalidValue)
        #expect(error.codingPath == "x")
    }

    @Test func integersAtTheirEdges() throws {
        #expect(try text([Int64.min, Int64.max]) == "[-9223372036854775808,9223372036854775807]")
        #expect(try text([UInt64.max]) == "[18446744073709551615]")
        #expect(try text([Int8.min]) == "[-128]")
    }

    @Test func optionalsAreOmittedWhenNilAsWithFoundation() throws {
        struct Opt: Codable {
            var a: Int?
            var b: String?
        }
        #expect(try text(Opt(a: nil, b: "x")) == #"{"b":"x"}"#)
        #expect(try text([nil, 1] as [Int?]) == "[null,1]")
    }

    @Test func dictionaryKeysAreNotConverted() throws {
        #expect(try text(["fooBar": 1]) == #"{"fooBar":1}"#)
    }

    @Test func useDefaultKeysWritesSwiftNames() throws {
        struct Named: Codable { var bidVolume = 1 }
        #expect(try text(Named(), keyMapping: .useDefaultKeys) == #"{"bidVolume":1}"#)
        #expect(try text(Named()) == #"{"bid_volume":1}"#)
    }

    @Test func emptyValuesFollowFoundation() throws {
        struct Empty: Codable {}
        struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }
        struct Holder: Encodable { var nothing = Nothing() }
        #expect(try text(Empty()) == String(decoding: try JSONEncoder().encode(Empty()), as: UTF8.self))
        #expect(try text(Holder()) == #"{"nothing":{}}"#)
        #expect(throws: JSONError.self) { try encoder.encode(Nothing()) }
    }

    @Test func nestedContainersCloseInOrder() throws {
        struct Nested: Encodable {
            enum Keys: String, CodingKey { case outer, inner, list, after }
            func encode(to encoder: any Encoder) throws {
                var root = encoder.container(keyedBy: Keys.self)
                var outer = root.nestedContainer(keyedBy: Keys.self, forKey: .outer)
                try outer.encode(1, forKey: .inner)
                var list = outer.nestedUnkeyedContainer(forKey: .list)
                try list.encode("a")
                var deeper = list.nestedUnkeyedContainer()
                try deeper.encode(true)
                try root.encode(2, forKey: .after)
            }
        }
        #expect(try text(Nested()) == #"{"outer":{"inner":1,"list":["a",[true]]},"after":2}"#)
    }

    @Test func writingToAClosedContainerIsAnErrorNotBadJSON() throws {
        struct Misuse: Encodable {
            enum Keys: String, CodingKey { case a, b }
            func encode(to encoder: any Encoder) throws {
                var root = encoder.container(keyedBy: Keys.self)
                var nested = root.nestedContainer(keyedBy: Keys.self, forKey: .a)
                try root.encode(1, forKey: .b)
                try nested.encode(2, forKey: .a)
            }
        }
        let error = try #require(throws: JSONError.self) { try encoder.encode(Misuse()) }
        #expect(error.kind == .invalidValue)
    }
}

@Suite("JSON key mapping")
struct JSONKeyMappingTests {
    private struct DynamicKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private struct Names: Codable {
        var names: [String]
        init(_ names: [String]) { self.names = names }
        init(from decoder: any Decoder) throws {
            names = try decoder.container(keyedBy: DynamicKey.self).allKeys.map(\.stringValue)
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: DynamicKey.self)
            for name in names { try container.encode(0, forKey: DynamicKey(stringValue: name)) }
        }
    }

    static let swiftNames = [
        "bidVolume", "tsEventMs", "myURL", "myURLProperty", "HTTPServer", "aB", "ABC", "x1Y", "url2Go", "a",
        "oneTwoThree4Five", "_private", "trailing_", "already_snake", "aBC1d", "ÉcoleX", "", "A",
    ]

    @Test("camelCase to snake_case matches Foundation's convertToSnakeCase", arguments: swiftNames)
    func toSnakeCase(name: String) throws {
        let foundation = try foundationEncoder(snakeCase: true).encode(Names([name]))
        let ours = try StreamJSONEncoder().encode(Names([name]))
        #expect(String(decoding: ours, as: UTF8.self) == String(decoding: foundation, as: UTF8.self))
    }

    static let wireNames = [
        "bid_volume", "my_url", "__a__b__", "a__b", "Ab_CD", "ab_cD_eF", "_", "__", "a_1b", "x_Y", "a_b_",
        "Ab", "AB", "a_b2c", "a_1b2c", "a_b-c", "a_b c", "a_bC1d", "a_b'c", "a_b.c", "A_B", "a_x_y_z", "a_éb",
        "1_a", "plain",
    ]

    @Test("snake_case to camelCase matches Foundation's convertFromSnakeCase", arguments: wireNames)
    func fromSnakeCase(wire: String) throws {
        let json = Data(#"{"\#(wire)":0}"#.utf8)
        let foundation = try foundationDecoder(snakeCase: true).decode(Names.self, from: json).names
        #expect(try StreamJSONDecoder().decode(Names.self, from: Array(json)).names == foundation)
        // Looking the converted name up must find the member too.
        struct Probe: Decodable {
            let found: Bool
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: DynamicKey.self)
                found = container.allKeys.allSatisfy { container.contains($0) }
            }
        }
        #expect(try StreamJSONDecoder().decode(Probe.self, from: Array(json)).found)
    }
}
