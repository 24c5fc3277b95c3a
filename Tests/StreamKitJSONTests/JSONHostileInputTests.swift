import Foundation
import StreamKitTestSupport
import Testing

@testable import StreamKitJSON

/// Documents made to exhaust a consumer: each fails at once, at the limit, with an error that says why.
@Suite("JSON hostile inputs")
struct JSONHostileInputTests {
    @Test func hundredThousandNestedArraysStopAtTheDepthLimit() throws {
        let json =
            [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
            + [UInt8](repeating: UInt8(ascii: "]"), count: 100_000)
        let error = try #require(streamError(AnyJSON.self, json))
        #expect(error.kind == .limitExceeded)
        // Depth 256 is allowed, so the 257th bracket, at offset 256, is the first one refused.
        #expect(error.byteOffset == 256)
        #expect(error.description.contains("maxDepth (256)"))
    }

    @Test func hundredThousandNestedObjectsStopAtTheDepthLimit() throws {
        let json = Array(String(repeating: #"{"a":"#, count: 100_000).utf8)
        let error = try #require(streamError(AnyJSON.self, json))
        #expect(error.kind == .limitExceeded)
        #expect(error.byteOffset == 256 * 5)  // each level is the 5 bytes {"a":
        #expect(error.codingPath.hasPrefix("a.a.a"))
    }

    @Test func aTenMebibyteStringIsRefusedBeforeItIsRead() throws {
        let json = [UInt8(ascii: "\"")] + [UInt8](repeating: UInt8(ascii: "x"), count: 10 << 20) + [UInt8(ascii: "\"")]
        let error = try #require(streamError(String.self, json))
        #expect(error.kind == .limitExceeded)
        #expect(error.byteOffset == 0)
        #expect(error.description.contains("maxDocumentBytes"))
    }

    @Test func aTenMebibyteStringWithinRaisedLimitsDecodes() throws {
        let decoder = StreamJSONDecoder(limits: JSONLimits(maxDepth: 8, maxDocumentBytes: 16 << 20))
        let json = [UInt8(ascii: "\"")] + [UInt8](repeating: UInt8(ascii: "x"), count: 10 << 20) + [UInt8(ascii: "\"")]
        #expect(try decoder.decode(String.self, from: json).utf8.count == 10 << 20)
    }

    @Test func invalidUTF8AtTheEndOfATenMebibyteStringIsFoundAtItsOffset() throws {
        let decoder = StreamJSONDecoder(limits: JSONLimits(maxDepth: 8, maxDocumentBytes: 16 << 20))
        var json = [UInt8(ascii: "\"")] + [UInt8](repeating: UInt8(ascii: "x"), count: 10 << 20) + [UInt8(ascii: "\"")]
        json[json.count - 2] = 0xFF
        let error = try #require(streamError(String.self, json, decoder: decoder))
        #expect(error.kind == .invalidUTF8)
        #expect(error.byteOffset == json.count - 2)
    }

    @Test func anUnterminatedHugeStringIsASyntaxErrorAtItsStart() throws {
        let decoder = StreamJSONDecoder(limits: JSONLimits(maxDepth: 8, maxDocumentBytes: 16 << 20))
        let json = Array(#"{"a":""#.utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 10 << 20)
        let error = try #require(streamError(AnyJSON.self, json, decoder: decoder))
        #expect(error.kind == .syntax)
        #expect(error.byteOffset == 5)
        #expect(error.codingPath == "a")
    }

    @Test func randomBytesNeverCrashTheDecoder() throws {
        var rng = SplitMix64(state: 42)
        let alphabet = Array(#"{}[]":,.-+eE0123456789 truefalsnul\u"#.utf8) + [0x80, 0xC3, 0xFF]
        for _ in 0..<5_000 {
            let bytes = (0..<Int.random(in: 0...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let ours = streamError(AnyJSON.self, bytes)
            if ours == nil {
                // Whatever StreamKit accepts must be JSON that Foundation accepts and reads the same way.
                let expected = try JSONDecoder().decode(AnyJSON.self, from: Data(bytes))
                #expect(
                    try StreamJSONDecoder(keyMapping: .useDefaultKeys).decode(AnyJSON.self, from: bytes) == expected)
            }
        }
    }
}
