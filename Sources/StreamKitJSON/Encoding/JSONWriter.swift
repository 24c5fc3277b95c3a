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
        if let double = value as? Double, writeShortDecimal(double) { return }
        let start = bytes.count
        value.write(to: &self)
        let end = bytes.count
        if end - start > 2, bytes[end - 2] == UInt8(ascii: "."), bytes[end - 1] == UInt8(ascii: "0") {
            bytes.removeLast(2)
        }
    }

    /// Writes `value` as Swift's `description` does when it has at most 15 significant digits and a magnitude
    /// from 0.001 to 10^15: the common prices and quantities, without the general shortest-digits search.
    /// Returns `false`, having written nothing, for any other value.
    ///
    /// Take the most fraction digits `k` (at most 15) for which `|value| * 10^k < 2^50`. Any shorter decimal
    /// that reads back as `value`, `d / 10^j`, is then `d * 10^(k-j)` at `k`, and the rounded product
    /// `|value| * 10^k` is within 0.375 of it. So the value has such a decimal exactly when that rounded
    /// product `m` passes the exact check `m / 10^k == |value|`, and `m` without its trailing zeros gives the
    /// shortest digits that read back as `value`, and the closest ones.
    @inline(__always)
    private mutating func writeShortDecimal(_ value: Double) -> Bool {
        let magnitude = abs(value)
        guard magnitude >= 0.001, magnitude < 1e14 else { return false }
        var scale = 10.0
        var fractionDigits = 1
        while fractionDigits < 15, magnitude * scale * 10 < 0x1p50 {
            scale *= 10
            fractionDigits += 1
        }
        // Rounds half up by truncation, without a libm call; the sum is exact below 2^50.
        var digits = UInt64(magnitude * scale + 0.5)
        guard Double(digits) / scale == magnitude else { return false }
        while fractionDigits > 1, digits % 10 == 0 {
            digits /= 10
            fractionDigits -= 1
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        writeFixedPoint(digits, fractionDigits: fractionDigits)
        return true
    }

    /// Writes `digits` with a decimal point `fractionDigits` from the right, and `0.` and zeros before it
    /// when it has no more digits than that.
    private mutating func writeFixedPoint(_ digits: UInt64, fractionDigits: Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { text in
            var start = 24
            var rest = digits
            var written = 0
            while rest != 0 || written <= fractionDigits {
                if written == fractionDigits {
                    start -= 1
                    text[start] = UInt8(ascii: ".")
                }
                start -= 1
                text[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
                written += 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<24]))
        }
    }
}

extension JSONWriter: TextOutputStream {
    mutating func write(_ string: String) { bytes.append(contentsOf: string.utf8) }

    /// Receives the standard library's rendering of a floating-point value from its stack buffer; the default
    /// implementation of this requirement makes a `String` (a heap allocation past 15 characters) instead.
    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: buffer) }
}
