/// Number and string literals, checked byte by byte against RFC 8259 (and string contents against RFC 3629)
/// without building anything: the scanner calls these for every literal, on both paths.
extension JSONReader {
    /// Validates the number literal at `pos` against the RFC 8259 grammar.
    /// Returns its end and whether it has a fraction or an exponent.
    func scanNumber(at start: Int) throws(JSONError) -> (end: Int, isFractional: Bool) {
        var pos = start
        if base[pos] == UInt8(ascii: "-") { pos += 1 }
        guard pos < length, isDigit(base[pos]) else {
            if pos < length, base[pos] == UInt8(ascii: "I") {
                throw scanError(.invalidNumber, at: start, "NaN and Infinity are not JSON numbers")
            }
            throw scanError(.invalidNumber, at: start, "'-' must be followed by a digit")
        }
        if base[pos] == UInt8(ascii: "0") {
            pos += 1
            if pos < length, isDigit(base[pos]) {
                throw scanError(.invalidNumber, at: start, "numbers must not have leading zeros")
            }
        } else {
            while pos < length, isDigit(base[pos]) { pos += 1 }
        }
        var isFractional = false
        if pos < length, base[pos] == UInt8(ascii: ".") {
            pos += 1
            guard pos < length, isDigit(base[pos]) else {
                throw scanError(.invalidNumber, at: start, "'.' must be followed by a digit")
            }
            while pos < length, isDigit(base[pos]) { pos += 1 }
            isFractional = true
        }
        if pos < length, base[pos] | 0x20 == UInt8(ascii: "e") {
            pos += 1
            if pos < length, base[pos] == UInt8(ascii: "+") || base[pos] == UInt8(ascii: "-") { pos += 1 }
            guard pos < length, isDigit(base[pos]) else {
                throw scanError(.invalidNumber, at: start, "an exponent must have digits")
            }
            while pos < length, isDigit(base[pos]) { pos += 1 }
            isFractional = true
        }
        return (pos, isFractional)
    }

    /// Validates the string literal whose opening quote is at `start`: escapes, surrogate pairs, UTF-8 and
    /// unescaped control characters. Returns the offset past the closing quote and whether it has escapes.
    func scanString(at start: Int) throws(JSONError) -> (end: Int, hasEscapes: Bool) {
        var pos = start + 1
        var hasEscapes = false
        while true {
            pos = skipPlainASCII(from: pos)
            guard pos < length else { throw scanError(.syntax, at: start, "unterminated string") }
            let byte = base[pos]
            if byte == UInt8(ascii: "\"") { return (pos + 1, hasEscapes) }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                pos = try validateEscape(at: pos)
            } else if byte < 0x20 {
                throw scanError(.syntax, at: pos, "control character \(describeByte(at: pos)) must be escaped")
            } else {
                pos = try validateUTF8Sequence(at: pos)
            }
        }
    }

    /// Steps over bytes that need no attention in a string: ASCII other than `"`, `\` and controls.
    @inline(__always)
    private func skipPlainASCII(from start: Int) -> Int {
        var pos = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while pos + 8 <= length {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self))
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let special =
                ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
                | word
            let flagged = special & highs
            // Borrows only flag bytes above a real match, so the lowest flag is the first special byte.
            if flagged != 0 { return pos + flagged.trailingZeroBitCount / 8 }
            pos += 8
        }
        while pos < length {
            let byte = base[pos]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
            pos += 1
        }
        return pos
    }

    private func validateEscape(at pos: Int) throws(JSONError) -> Int {
        guard pos + 1 < length else { throw scanError(.syntax, at: pos, "unterminated string") }
        switch base[pos + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return pos + 2
        case UInt8(ascii: "u"):
            let unit = try hexEscape(at: pos)
            if unit & 0xFC00 == 0xDC00 {
                throw scanError(.invalidEscape, at: pos, "lone low surrogate \\u\(String(unit, radix: 16))")
            }
            guard unit & 0xFC00 == 0xD800 else { return pos + 6 }
            guard pos + 7 < length, base[pos + 6] == UInt8(ascii: "\\"), base[pos + 7] == UInt8(ascii: "u"),
                try hexEscape(at: pos + 6) & 0xFC00 == 0xDC00
            else {
                throw scanError(
                    .invalidEscape, at: pos, "high surrogate \\u\(String(unit, radix: 16)) without a low surrogate")
            }
            return pos + 12
        default:
            throw scanError(.invalidEscape, at: pos, "unknown escape '\\' followed by \(describeByte(at: pos + 1))")
        }
    }

    /// The UTF-16 unit of the `\uXXXX` escape whose backslash is at `pos`.
    func hexEscape(at pos: Int) throws(JSONError) -> UInt16 {
        guard pos + 6 <= length else {
            hasFailed = true
            throw error(.invalidEscape, at: pos, "truncated \\u escape")
        }
        var unit: UInt16 = 0
        for i in (pos + 2)..<(pos + 6) {
            let byte = base[i]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte &- UInt8(ascii: "A") &+ 10
            default:
                hasFailed = true
                throw error(.invalidEscape, at: pos, "\\u must be followed by four hex digits")
            }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    /// Validates one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
    private func validateUTF8Sequence(at pos: Int) throws(JSONError) -> Int {
        let lead = base[pos]
        let count: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: count = 2
        case 0xE0:
            count = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: count = 3
        case 0xED:
            count = 3
            high = 0x9F
        case 0xF0:
            count = 4
            low = 0x90
        case 0xF1...0xF3: count = 4
        case 0xF4:
            count = 4
            high = 0x8F
        default: throw scanError(.invalidUTF8, at: pos, "invalid UTF-8 lead \(describeByte(at: pos))")
        }
        guard pos + count <= length else { throw scanError(.invalidUTF8, at: pos, "truncated UTF-8 sequence") }
        for i in 1..<count {
            let byte = base[pos + i]
            let (lo, hi) = i == 1 ? (low, high) : (0x80, 0xBF)
            guard byte >= lo && byte <= hi else {
                throw scanError(.invalidUTF8, at: pos + i, "invalid UTF-8 continuation \(describeByte(at: pos + i))")
            }
        }
        return pos + count
    }
}

@inline(__always)
func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

/// Whether `count` bytes at `lhs` and `rhs` are equal; eight at a time, the last eight or four overlapping the
/// ones before, since member names are short.
@inline(__always)
func memcmpEqual(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    func load<T: FixedWidthInteger>(_ pointer: UnsafePointer<UInt8>, _ offset: Int, as type: T.Type) -> T {
        UnsafeRawPointer(pointer + offset).loadUnaligned(as: T.self)
    }
    guard count >= 8 else {
        if count >= 4 {
            return load(lhs, 0, as: UInt32.self) == load(rhs, 0, as: UInt32.self)
                && load(lhs, count &- 4, as: UInt32.self) == load(rhs, count &- 4, as: UInt32.self)
        }
        var i = 0
        while i < count {
            if lhs[i] != rhs[i] { return false }
            i &+= 1
        }
        return true
    }
    var i = 0
    while i &+ 8 < count {
        guard load(lhs, i, as: UInt64.self) == load(rhs, i, as: UInt64.self) else { return false }
        i &+= 8
    }
    return load(lhs, count &- 8, as: UInt64.self) == load(rhs, count &- 8, as: UInt64.self)
}
