#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// MARK: - Strings

extension JSONReader {
    /// Calls `body` with the UTF-8 of the string token at tape index `index`; see the token variant.
    @inline(__always)
    func withStringBytes<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withStringBytes(tape[index], body)
    }

    /// Calls `body` with the UTF-8 of the validated string `token`: the payload bytes in place when the literal
    /// has no escapes, otherwise the unescaped bytes in `scratch`.
    @inline(__always)
    func withStringBytes<R>(_ token: JSONToken, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = Int(token.start) + 1
        let count = Int(token.end) - 1 - start
        if !token.flag { return try body(UnsafeBufferPointer(start: base + start, count: count)) }
        unescape(from: start, count: count)
        return try scratch.withUnsafeBufferPointer(body)
    }

    /// The string token at tape index `index` as a `String`; the token was validated by the scan.
    func string(at index: Int) -> String { string(tape[index]) }

    /// The validated string `token` as a `String`.
    func string(_ token: JSONToken) -> String {
        withStringBytes(token) { String(decoding: $0, as: UTF8.self) }
    }

    /// Writes the unescaped content of a validated string literal into `scratch`.
    private func unescape(from start: Int, count: Int) {
        scratch.removeAll(keepingCapacity: true)
        var pos = start
        let end = start + count
        while pos < end {
            let byte = base[pos]
            guard byte == UInt8(ascii: "\\") else {
                scratch.append(byte)
                pos += 1
                continue
            }
            let escaped = base[pos + 1]
            pos += 2
            switch escaped {
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                // The scan checked the hex digits and the surrogate pairing, so these cannot fail.
                var scalar = UInt32((try? hexEscape(at: pos - 2)) ?? 0xFFFD)
                if scalar & 0xFC00 == 0xD800 {
                    let low = UInt32((try? hexEscape(at: pos + 4)) ?? 0xDC00)
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    pos += 6
                }
                pos += 4
                appendUTF8(of: scalar, to: &scratch)
            default: scratch.append(escaped)  // '"', '\\' and '/' stand for themselves.
            }
        }
    }
}

/// Appends the UTF-8 encoding of a valid Unicode scalar value.
@inline(__always)
func appendUTF8(of scalar: UInt32, to bytes: inout [UInt8]) {
    switch scalar {
    case ..<0x80:
        bytes.append(UInt8(scalar))
    case ..<0x800:
        bytes.append(UInt8(0xC0 | scalar >> 6))
        bytes.append(UInt8(0x80 | scalar & 0x3F))
    case ..<0x10000:
        bytes.append(UInt8(0xE0 | scalar >> 12))
        bytes.append(UInt8(0x80 | scalar >> 6 & 0x3F))
        bytes.append(UInt8(0x80 | scalar & 0x3F))
    default:
        bytes.append(UInt8(0xF0 | scalar >> 18))
        bytes.append(UInt8(0x80 | scalar >> 12 & 0x3F))
        bytes.append(UInt8(0x80 | scalar >> 6 & 0x3F))
        bytes.append(UInt8(0x80 | scalar & 0x3F))
    }
}

// MARK: - Scalars

extension JSONReader {
    func typeMismatch(at index: Int, expected: String) -> JSONError { typeMismatch(tape[index], expected: expected) }

    func typeMismatch(_ token: JSONToken, expected: String) -> JSONError {
        let found =
            switch token.kind {
            case .object: "an object"
            case .array: "an array"
            case .string: "a string"
            case .number: "a number"
            case .true, .false: "a boolean"
            case .null: "null"
            }
        let kind: JSONError.Kind = token.kind == .null ? .valueNotFound : .typeMismatch
        return error(kind, at: Int(token.start), "expected \(expected), found \(found)")
    }

    func bool(_ token: JSONToken) throws(JSONError) -> Bool {
        switch token.kind {
        case .true: true
        case .false: false
        default: throw typeMismatch(token, expected: "a boolean")
        }
    }

    func stringValue(_ token: JSONToken) throws(JSONError) -> String {
        guard token.kind == .string else { throw typeMismatch(token, expected: "a string") }
        return string(token)
    }

    /// The literal text of the number `token`.
    func numberText(_ token: JSONToken) -> String {
        String(
            decoding: UnsafeBufferPointer(start: base + Int(token.start), count: Int(token.end - token.start)),
            as: UTF8.self)
    }

    private func outOfRange(_ token: JSONToken, _ type: Any.Type, _ why: String = "") -> JSONError {
        error(.numberOutOfRange, at: Int(token.start), "\(numberText(token)) does not fit \(type)\(why)")
    }

    /// The number `token` as `T`, exactly, or an error: overflow and fractions are never truncated.
    func integer<T: FixedWidthInteger>(_ type: T.Type, _ token: JSONToken) throws(JSONError) -> T {
        guard token.kind == .number else { throw typeMismatch(token, expected: "an integer") }
        var pos = Int(token.start)
        let end = Int(token.end)
        let isNegative = base[pos] == UInt8(ascii: "-")
        if isNegative { pos += 1 }
        guard token.flag else {
            if end &- pos <= 18 {
                // At most 18 digits fit an `Int64` unchecked; then one range check against `T`.
                var magnitude: Int64 = 0
                while pos < end {
                    magnitude = magnitude &* 10 &+ Int64(base[pos] &- UInt8(ascii: "0"))
                    pos &+= 1
                }
                guard let value = T(exactly: isNegative ? -magnitude : magnitude) else {
                    throw outOfRange(token, T.self)
                }
                return value
            }
            // Accumulate towards the sign so that `T.min` parses.
            var value: T = 0
            while pos < end {
                let digit = T(base[pos] &- UInt8(ascii: "0"))
                let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
                let (next, o2) =
                    isNegative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
                guard !o1 && !o2 else { throw outOfRange(token, T.self) }
                value = next
                pos += 1
            }
            return value
        }
        return try fractionalInteger(T.self, token, from: pos, isNegative: isNegative)
    }

    /// `1.0`, `1e2` or `9007199254740993.0` for an integer type: exact decimal arithmetic, as Foundation does.
    private func fractionalInteger<T: FixedWidthInteger>(
        _ type: T.Type, _ token: JSONToken, from digitsStart: Int, isNegative: Bool
    ) throws(JSONError) -> T {
        let end = Int(token.end)
        var mantissaEnd = digitsStart
        while mantissaEnd < end, base[mantissaEnd] | 0x20 != UInt8(ascii: "e") { mantissaEnd += 1 }
        var exponent = 0
        if mantissaEnd < end {
            var pos = mantissaEnd + 1
            let negativeExponent = base[pos] == UInt8(ascii: "-")
            if base[pos] == UInt8(ascii: "-") || base[pos] == UInt8(ascii: "+") { pos += 1 }
            while pos < end {
                exponent = min(exponent * 10 + Int(base[pos] &- UInt8(ascii: "0")), 100_000)
                pos += 1
            }
            if negativeExponent { exponent = -exponent }
        }
        // Significant digits without the point, trailing zeros folded into the exponent.
        var digits: [UInt8] = []
        var isAfterPoint = false
        for pos in digitsStart..<mantissaEnd {
            let byte = base[pos]
            if byte == UInt8(ascii: ".") {
                isAfterPoint = true
                continue
            }
            if isAfterPoint { exponent -= 1 }
            if !digits.isEmpty || byte != UInt8(ascii: "0") { digits.append(byte &- UInt8(ascii: "0")) }
        }
        while let last = digits.last, last == 0 {
            digits.removeLast()
            exponent += 1
        }
        if digits.isEmpty { return 0 }
        guard exponent >= 0 else { throw outOfRange(token, T.self, ": not a whole number") }
        guard exponent <= 40 else { throw outOfRange(token, T.self) }
        var value: T = 0
        for digit in digits + repeatElement(0, count: exponent) {
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) =
                isNegative ? shifted.subtractingReportingOverflow(T(digit)) : shifted.addingReportingOverflow(T(digit))
            guard !o1 && !o2 else { throw outOfRange(token, T.self) }
            value = next
        }
        return value
    }

    /// Splits a number token into a decimal mantissa and exponent when it has at most 19 significant digits.
    @inline(__always)
    private func smallDecimal(_ token: JSONToken) -> (mantissa: UInt64, exponent: Int, isNegative: Bool)? {
        var pos = Int(token.start)
        let end = Int(token.end)
        let isNegative = base[pos] == UInt8(ascii: "-")
        if isNegative { pos += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        while pos < end, isDigit(base[pos]) {
            mantissa = mantissa &* 10 &+ UInt64(base[pos] &- UInt8(ascii: "0"))
            digits += 1
            pos += 1
        }
        if pos < end, base[pos] == UInt8(ascii: ".") {
            pos += 1
            while pos < end, isDigit(base[pos]) {
                mantissa = mantissa &* 10 &+ UInt64(base[pos] &- UInt8(ascii: "0"))
                digits += 1
                exponent -= 1
                pos += 1
            }
        }
        guard digits <= 19 else { return nil }
        if pos < end {
            pos += 1
            let negativeExponent = base[pos] == UInt8(ascii: "-")
            if base[pos] == UInt8(ascii: "-") || base[pos] == UInt8(ascii: "+") { pos += 1 }
            var value = 0
            while pos < end {
                value = value * 10 + Int(base[pos] &- UInt8(ascii: "0"))
                if value > 1000 { return nil }
                pos += 1
            }
            exponent += negativeExponent ? -value : value
        }
        return (mantissa, exponent, isNegative)
    }

    static let powersOfTen: [Double] = (0...22).map(pow10)

    private static func pow10(_ n: Int) -> Double {
        var value = 1.0
        for _ in 0..<n { value *= 10 }  // exact up to 1e22
        return value
    }

    /// The number `token` as the nearest `Double` (correctly rounded, as `strtod`).
    func double(_ token: JSONToken) throws(JSONError) -> Double {
        guard token.kind == .number else { throw typeMismatch(token, expected: "a number") }
        // Clinger's fast path: both operands are exact, so one IEEE operation rounds correctly.
        if let (mantissa, exponent, isNegative) = smallDecimal(token), mantissa <= 1 << 53, abs(exponent) <= 22 {
            var value = Double(mantissa)
            value = exponent < 0 ? value / Self.powersOfTen[-exponent] : value * Self.powersOfTen[exponent]
            return isNegative ? -value : value
        }
        return try checkedFloatingPoint(Double(numberText(token)), token)
    }

    /// The number `token` as the nearest `Float`, rounded once from the decimal text.
    func float(_ token: JSONToken) throws(JSONError) -> Float {
        guard token.kind == .number else { throw typeMismatch(token, expected: "a number") }
        if let (mantissa, exponent, isNegative) = smallDecimal(token), mantissa <= 1 << 24, abs(exponent) <= 10 {
            var value = Float(mantissa)
            let scale = Float(Self.powersOfTen[abs(exponent)])
            value = exponent < 0 ? value / scale : value * scale
            return isNegative ? -value : value
        }
        return try checkedFloatingPoint(Float(numberText(token)), token)
    }

    /// Rejects results that are infinite, or zero from non-zero digits: Foundation rejects both.
    private func checkedFloatingPoint<F: BinaryFloatingPoint>(_ parsed: F?, _ token: JSONToken) throws(JSONError) -> F {
        guard let value = parsed, value.isFinite else { throw outOfRange(token, F.self) }
        if value == 0 {
            var pos = Int(token.start)
            while pos < Int(token.end), base[pos] | 0x20 != UInt8(ascii: "e") {
                if base[pos] >= UInt8(ascii: "1") && base[pos] <= UInt8(ascii: "9") {
                    throw outOfRange(token, F.self, ": underflows to zero")
                }
                pos += 1
            }
        }
        return value
    }

    /// The number `token` as a `Decimal`, from its literal text.
    func decimal(_ token: JSONToken) throws(JSONError) -> Decimal {
        guard token.kind == .number else { throw typeMismatch(token, expected: "a number") }
        guard let value = Decimal(string: numberText(token)) else { throw outOfRange(token, Decimal.self) }
        return value
    }
}
