import Foundation
import Testing

@testable import StreamKitTimescale

/// Byte layouts worked out by hand from PostgreSQL's `*_send` functions.
@Suite struct BinaryEncodingTests {
    private func bytes(_ value: TimescaleValue) throws -> [UInt8] {
        var buffer: [UInt8] = []
        try value.appendBinary(to: &buffer)
        return buffer
    }

    @Test func integersAndFloatsAreBigEndian() throws {
        #expect(try bytes(.int16(-2)) == [0xFF, 0xFE])
        #expect(try bytes(.int32(0x0102_0304)) == [1, 2, 3, 4])
        #expect(try bytes(.int64(1)) == [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(try bytes(.float64(1.0)) == [0x3F, 0xF0, 0, 0, 0, 0, 0, 0])  // IEEE 754: exponent 1023
        #expect(try bytes(.float32(-2.0)) == [0xC0, 0, 0, 0])
        #expect(try bytes(.bool(true)) == [1])
    }

    @Test func timestampCountsMicrosecondsFrom2000() throws {
        // 2000-01-01T00:00:00Z is 946 684 800 s after the Unix epoch, so it encodes as 0.
        #expect(
            try bytes(.timestamptz(.init(millisecondsSinceUnixEpoch: 946_684_800_000))) == [0, 0, 0, 0, 0, 0, 0, 0])
        // One microsecond later is 1.
        #expect(
            try bytes(.timestamptz(.init(microsecondsSinceUnixEpoch: 946_684_800_000_001))) == [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(throws: TimescaleError.self) { try bytes(.timestamptz(.init(microsecondsSinceUnixEpoch: .min))) }
    }

    @Test func numericUsesBase10000Digits() throws {
        // 12345.678 = 1·10000¹ + 2345·10000⁰ + 6780·10000⁻¹: ndigits 3, weight 1, sign +, dscale 3.
        #expect(
            try bytes(.numeric(TimescaleNumeric("12345.678")))
                == [0, 3, 0, 1, 0, 0, 0, 3, 0x00, 0x01, 0x09, 0x29, 0x1A, 0x7C])
        // -0.00001 = -1000·10000⁻²: ndigits 1, weight -2, sign 0x4000, dscale 5.
        #expect(try bytes(.numeric(TimescaleNumeric("-0.00001"))) == [0, 1, 0xFF, 0xFE, 0x40, 0, 0, 5, 0x03, 0xE8])
        // Zero with scale 2: no digits, weight 0, dscale 2.
        #expect(try bytes(.numeric(TimescaleNumeric("0.00"))) == [0, 0, 0, 0, 0, 0, 0, 2])
        #expect(try bytes(.numeric(.nan)) == [0, 0, 0, 0, 0xC0, 0, 0, 0])
        #expect(throws: TimescaleError.self) { try TimescaleNumeric("1e5") }
        #expect(throws: TimescaleError.self) { try TimescaleNumeric("12.3.4") }
    }

    @Test func jsonbHasVersionByteAndUUIDIsSixteenBytes() throws {
        #expect(try bytes(.jsonb("{}")) == [1, UInt8(ascii: "{"), UInt8(ascii: "}")])
        let uuid = UUID(uuidString: "00010203-0405-0607-0809-0A0B0C0D0E0F")!
        #expect(try bytes(.uuid(uuid)) == Array(0...15))
    }

    @Test func copyStreamHasHeaderTuplesAndTrailer() throws {
        var encoder = BinaryCopyEncoder(columns: [.init("a", .integer), .init("b", .text)])
        try encoder.append([.int32(7), .null])
        encoder.finish()
        let expected: [UInt8] =
            Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]  // signature, flags, ext
            + [0, 2] + [0, 0, 0, 4, 0, 0, 0, 7] + [0xFF, 0xFF, 0xFF, 0xFF]  // 2 fields: int4 7, NULL
            + [0xFF, 0xFF]  // trailer
        #expect(encoder.buffer == expected)
    }

    @Test func valuesWidenOnlyWhenExact() throws {
        var encoder = BinaryCopyEncoder(columns: [.init("small", .smallint)])
        try encoder.append([.int64(12)])
        #expect {
            try encoder.append([.int64(40_000)])
        } throws: { error in
            let error = error as! TimescaleError
            return error.code == .valueType && error.column == "small" && !error.description.contains("40000")
        }
    }

    @Test func reconnectBackoffDoublesUpToTheCap() {
        let policy = TimescaleConnection.ReconnectPolicy(
            maxAttempts: 6, initialDelay: .milliseconds(100), maxDelay: .milliseconds(350))
        #expect(
            (1...5).map { policy.delay(afterFailures: $0) } == [
                .milliseconds(100), .milliseconds(200), .milliseconds(350), .milliseconds(350), .milliseconds(350),
            ])
    }
}
