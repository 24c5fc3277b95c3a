import Foundation

/// Conversions between Swift's `Date`, `UUID` and `Decimal` and the Avro logical types that carry them.
enum AvroLogicalValues {
    static func epochValue(of date: Date, as logical: AvroLogicalType?) -> Int64? {
        let seconds = date.timeIntervalSince1970
        switch logical {
        case .timestampMillis: return Int64(exactly: (seconds * 1_000).rounded())
        case .timestampMicros: return Int64(exactly: (seconds * 1_000_000).rounded())
        case .date: return Int64(exactly: (seconds / 86_400).rounded(.down))
        default: return nil
        }
    }

    static func date(fromEpochValue value: Int64, as logical: AvroLogicalType?) -> Date? {
        switch logical {
        case .timestampMillis: Date(timeIntervalSince1970: Double(value) / 1_000)
        case .timestampMicros: Date(timeIntervalSince1970: Double(value) / 1_000_000)
        case .date: Date(timeIntervalSince1970: Double(value) * 86_400)
        default: nil
        }
    }

    /// The unscaled value of `decimal` (`12.34` at scale 2 → 1234) as big-endian two's complement, the
    /// shortest form for `bytes` or sign-extended to `size` for `fixed`.
    static func unscaledBytes(of decimal: Decimal, scale: Int, precision: Int, size: Int?) throws(AvroError) -> [UInt8]
    {
        var scaled = decimal
        for _ in 0..<scale { scaled *= 10 }
        let text = scaled.description
        guard let unscaled = Int128(text) else {
            throw AvroError(code: .encoding, reason: "\(decimal) does not fit decimal(\(precision), \(scale))")
        }
        guard unscaled.magnitude.description.count <= precision else {
            throw AvroError(code: .encoding, reason: "\(decimal) has more than \(precision) digits")
        }
        var bytes = withUnsafeBytes(of: unscaled.bigEndian) { Array($0) }
        while bytes.count > 1, (bytes[0] == 0 && bytes[1] < 0x80) || (bytes[0] == 0xFF && bytes[1] >= 0x80) {
            bytes.removeFirst()
        }
        guard let size else { return bytes }
        guard bytes.count <= size else {
            throw AvroError(code: .encoding, reason: "\(decimal) does not fit in fixed(\(size))")
        }
        return Array(repeating: unscaled < 0 ? 0xFF : 0, count: size - bytes.count) + bytes
    }

    static func decimal(fromUnscaled bytes: UnsafeRawBufferPointer, scale: Int) throws(AvroReadFailure) -> Decimal {
        guard bytes.count <= 16 else { throw AvroReadFailure("decimal wider than 128 bits") }
        var unscaled: Int128 = bytes.first.map { $0 >= 0x80 ? -1 : 0 } ?? 0
        for byte in bytes { unscaled = (unscaled << 8) | Int128(byte) }
        guard let significand = Decimal(string: unscaled.magnitude.description) else {
            throw AvroReadFailure("decimal out of range")
        }
        return Decimal(sign: unscaled < 0 ? .minus : .plus, exponent: -scale, significand: significand)
    }
}
