import Foundation
import PropertyBased
import StreamKitTestSupport
import Testing

@testable import StreamKitJSON

/// Random nested `Codable` values, built deterministically from a seed the property checker chooses.
struct Sample: Codable, Equatable {
    enum Side: String, Codable { case buy, sell, hold }

    enum Shape: Codable, Equatable {
        case point
        case circle(radius: Double)
        case rect(width: Int, height: Int)
    }

    var name: String
    var price: Double
    var ratio: Float
    var count: Int
    var tiny: Int8
    var small: UInt16
    var mid: Int32
    var wide: Int64
    var huge: UInt64
    var isActive: Bool
    var note: String?
    var createdAt: Date
    var payload: Data
    var homePage: URL
    var amount: Decimal
    var side: Side
    var shape: Shape
    var tags: [String]
    var scores: [String: Double]
    var matrix: [[Int]]
    var maybeNumbers: [Int?]
    var children: [Sample]

    static func random(using rng: inout SplitMix64, depth: Int = 0) -> Sample {
        Sample(
            name: randomString(using: &rng),
            price: randomDouble(using: &rng),
            ratio: Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &rng)).finiteOr(0.5),
            count: Int.random(in: .min ... .max, using: &rng),
            tiny: Int8.random(in: .min ... .max, using: &rng),
            small: UInt16.random(in: .min ... .max, using: &rng),
            mid: Int32.random(in: .min ... .max, using: &rng),
            wide: [Int64.min, Int64.max, 0, Int64.random(in: .min ... .max, using: &rng)].randomElement(using: &rng)!,
            huge: [UInt64.max, 0, UInt64.random(in: .min ... .max, using: &rng)].randomElement(using: &rng)!,
            isActive: Bool.random(using: &rng),
            note: Bool.random(using: &rng) ? randomString(using: &rng) : nil,
            createdAt: Date(timeIntervalSinceReferenceDate: Double.random(in: -1e9...1e9, using: &rng)),
            payload: Data((0..<Int.random(in: 0...9, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }),
            homePage: ["https://example.com/a?b=c&d=%20", "http://x.y:8080/", "file:///tmp/a%20b"].randomElement(
                using: &rng)!
                .asURL,
            amount: Decimal(
                sign: Bool.random(using: &rng) ? .plus : .minus, exponent: Int.random(in: -6...6, using: &rng),
                significand: Decimal(Int.random(in: 0...999_999_999, using: &rng))),
            side: [.buy, .sell, .hold].randomElement(using: &rng)!,
            shape: [.point, .circle(radius: randomDouble(using: &rng)), .rect(width: 3, height: -4)].randomElement(
                using: &rng)!,
            tags: (0..<Int.random(in: 0...3, using: &rng)).map { _ in randomString(using: &rng) },
            scores: Dictionary(
                (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                    (randomString(using: &rng), randomDouble(using: &rng))
                },
                uniquingKeysWith: { first, _ in first }),
            matrix: (0..<Int.random(in: 0...2, using: &rng)).map { _ in
                (0..<Int.random(in: 0...3, using: &rng)).map { _ in Int.random(in: -1000...1000, using: &rng) }
            },
            maybeNumbers: (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                Bool.random(using: &rng) ? nil : Int.random(in: -5...5, using: &rng)
            },
            children: depth >= 2
                ? [] : (0..<Int.random(in: 0...2, using: &rng)).map { _ in random(using: &rng, depth: depth + 1) })
    }

    /// Strings that exercise escaping: quotes, backslashes, controls, DEL, BMP and astral characters.
    static func randomString(using rng: inout SplitMix64) -> String {
        let pieces = [
            "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1F}", "\u{7F}", "é", "中", "😀",
            "\u{2028}", "snake_case", "camelCase", "\u{0}",
        ]
        return (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    /// Any finite double: random bit patterns cover subnormals and extreme exponents; a few edges on purpose.
    static func randomDouble(using rng: inout SplitMix64) -> Double {
        switch Int.random(in: 0...5, using: &rng) {
        case 0:
            [0.1, -0.0, .leastNonzeroMagnitude, 1.7976931348623157e308, 2.2250738585072014e-308, 1e23].randomElement(
                using: &rng)!
        case 1: Double(Int.random(in: -1_000_000...1_000_000, using: &rng)) / 100
        default: Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &rng)).finiteOr(1.5)
        }
    }
}

extension BinaryFloatingPoint {
    func finiteOr(_ fallback: Self) -> Self { isFinite ? self : fallback }
}

extension String {
    var asURL: URL { URL(string: self)! }
}

@Suite("JSON differential against Foundation")
struct JSONDifferentialTests {
    @Test("StreamKit decodes what Foundation encodes exactly as Foundation decodes it", arguments: [true, false])
    func decoderAgreesWithFoundation(snakeCase: Bool) async throws {
        let decoder = StreamJSONDecoder(keyMapping: snakeCase ? .snakeCase : .useDefaultKeys)
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var rng = SplitMix64(state: seed)
            let value = Sample.random(using: &rng)
            let json = try foundationEncoder(snakeCase: snakeCase).encode(value)
            let expected = try foundationDecoder(snakeCase: snakeCase).decode(Sample.self, from: json)
            let decoded = try decoder.decode(Sample.self, from: Array(json))
            #expect(decoded == expected)
        }
    }

    @Test("Foundation decodes what StreamKit encodes to the original value", arguments: [true, false])
    func encoderOutputDecodesWithFoundation(snakeCase: Bool) async throws {
        let encoder = StreamJSONEncoder(keyMapping: snakeCase ? .snakeCase : .useDefaultKeys)
        let treeDecoder = StreamJSONDecoder(keyMapping: .useDefaultKeys)
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var rng = SplitMix64(state: seed)
            let value = Sample.random(using: &rng)
            let json = try encoder.encode(value)
            let viaFoundation = try foundationDecoder(snakeCase: snakeCase).decode(Sample.self, from: Data(json))
            #expect(viaFoundation == value)
            // The same bytes as generic JSON: both decoders must see the same document.
            let tree = try JSONDecoder().decode(AnyJSON.self, from: Data(json))
            #expect(try treeDecoder.decode(AnyJSON.self, from: json) == tree)
        }
    }

    @Test("ticks round-trip through both coders")
    func ticksAgree() async throws {
        let decoder = StreamJSONDecoder()
        let encoder = StreamJSONEncoder()
        let ticks = zip(
            Gen.letterOrNumber.string(of: 0...12), Gen.double(in: -1e6...1e6), Gen.double(in: 0...1e9),
            Gen.int64(), Gen.int64(in: 0...Int64.max)
        ).map { symbol, price, volume, ts, sequence in
            WireTick(
                symbol: symbol, bid: price, ask: price + 0.5, bidVolume: volume, askVolume: volume / 3,
                tsEventMs: ts, tsIngestMs: ts / 2, sequence: sequence)
        }
        await propertyCheck(count: 300, input: ticks) { tick in
            let foundationJSON = try foundationEncoder(snakeCase: true).encode(tick)
            #expect(try decoder.decode(WireTick.self, from: Array(foundationJSON)) == tick)
            let ours = try encoder.encode(tick)
            #expect(try foundationDecoder(snakeCase: true).decode(WireTick.self, from: Data(ours)) == tick)
        }
    }

    @Test("doubles parse to the same bits as Foundation and the standard library")
    func doublesAreCorrectlyRounded() async throws {
        let decoder = StreamJSONDecoder()
        let digits = Gen.number.string(of: 1...25)
        await propertyCheck(count: 500, input: digits, digits, Gen.int(in: -330...310)) { whole, fraction, exponent in
            let text =
                "\(whole.drop(while: { $0 == "0" }).isEmpty ? "0" : String(whole.drop(while: { $0 == "0" })))"
                + ".\(fraction)e\(exponent)"
            guard let expected = Double(text), expected.isFinite, expected != 0 else { return }
            let decoded = try decoder.decode(Double.self, from: Array(text.utf8))
            #expect(decoded.bitPattern == expected.bitPattern, "\(text)")
            let foundation = try JSONDecoder().decode(Double.self, from: Data(text.utf8))
            #expect(decoded.bitPattern == foundation.bitPattern, "\(text)")
        }
    }

    @Test("short decimals, read exactly without strtod, parse to the standard library's bits")
    func shortDecimalsMatchTheStandardLibrary() async throws {
        let decoder = StreamJSONDecoder()
        await propertyCheck(
            count: 2_000, input: Gen.uint64(), Gen.int(in: 0...20), Gen.int(in: -25...25), Gen.bool
        ) { bits, point, exponent, isNegative in
            // Magnitudes from one digit to twenty, so both sides of 2^53 and of 19 digits are covered.
            let digits = String(bits >> (bits & 63))
            let split = digits.index(digits.endIndex, offsetBy: -min(point, digits.count))
            let whole = digits[..<split].isEmpty ? "0" : String(digits[..<split])
            let fraction = digits[split...].isEmpty ? "" : "." + digits[split...]
            let text = (isNegative ? "-" : "") + whole + fraction + (exponent == 0 ? "" : "e\(exponent)")
            let expected = try #require(Double(text))
            let decoded = try decoder.decode(Double.self, from: Array(text.utf8))
            #expect(decoded.bitPattern == expected.bitPattern, "\(text)")
        }
    }
}
