/// Appends JSON text to a byte buffer: literals, escaped strings and numbers.
struct JSONWriter {
    var bytes: [UInt8]

    @inline(__always)
    mutating func writeByte(_ byte: UInt8) { bytes.append(byte) }

    @inline(__always)
    mutating func writeLiteral(_ literal: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Writes `string` in quotes, escaping `"`, `\` and control characters; other characters are written as
    /// UTF-8 (Swift strings are always valid Unicode, so the output is too).
    mutating func writeString(_ string: String) {
        var string = string
        string.withUTF8 { writeString(utf8: $0) }
    }

    mutating func writeString(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var plainStart = 0
        for i in 0..<utf8.count {
            let byte = utf8[i]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart..<i]))
            plainStart = i + 1
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            default:
                let hex: StaticString = "0123456789abcdef"
                bytes.append(contentsOf: [
                    UInt8(ascii: "u"), 0x30, 0x30, hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0xF)],
                ])
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart...]))
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes an integer in decimal without going through `String`.
    mutating func writeInteger<T: FixedWidthInteger>(_ value: T) {
        guard T.bitWidth <= 64 else {
            bytes.append(contentsOf: value.description.utf8)
            return
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = UInt64(truncatingIfNeeded: value.magnitude)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }

    /// Writes the shortest text that reads back as the same value (Swift's `description`), without a
    /// trailing `.0` on whole numbers, as Foundation's `JSONEncoder` writes them.
    ///
    /// - Throws: ``JSONError/Kind/invalidValue`` for infinities and NaN, which JSON cannot represent.
    mutating func writeFloatingPoint<F: BinaryFloatingPoint & TextOutputStreamable>(
        _ value: F
    ) throws(JSONError) {
        guard value.isFinite else {
            throw JSONError(
                kind: .invalidValue, byteOffset: 0, codingPath: "", reason: "\(value) is not representable in JSON")
        }
        // Whole numbers below 2^53 print as integers: exact, and much faster than the shortest-digits search.
        if value == value.rounded(.towardZero), abs(value) < 0x1p53, !(value == 0 && value.sign == .minus) {
            writeInteger(Int64(value))
            return
        }
        let start = bytes.count
        value.write(to: &self)
        let end = bytes.count
        if end - start > 2, bytes[end - 2] == UInt8(ascii: "."), bytes[end - 1] == UInt8(ascii: "0") {
            bytes.removeLast(2)
        }
    }
}

extension JSONWriter: TextOutputStream {
    mutating func write(_ string: String) { bytes.append(contentsOf: string.utf8) }

    /// Receives the standard library's rendering of a floating-point value from its stack buffer; the default
    /// implementation of this requirement makes a `String` (a heap allocation past 15 characters) instead.
    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: buffer) }
}
