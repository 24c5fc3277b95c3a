import Foundation

// PostgreSQL's binary send/receive formats, shared by bind parameters and binary COPY. All integers are
// big-endian; see src/backend/utils/adt/*.c `*_send` in PostgreSQL.

extension TimescaleValue {
    /// The column type this value is in its own right; `nil` for `NULL`, which fits every column.
    var kind: TimescaleColumnType.Kind? {
        switch self {
        case .null: nil
        case .bool: .bool
        case .int16: .int16
        case .int32: .int32
        case .int64: .int64
        case .float32: .float32
        case .float64: .float64
        case .numeric: .numeric
        case .text: .text
        case .timestamptz: .timestamptz
        case .jsonb: .jsonb
        case .uuid: .uuid
        }
    }

    /// The type OID a bind parameter of this value is declared with; 0 (unspecified) for `NULL`.
    var parameterTypeOID: UInt32 { kind.map(Self.oid(of:)) ?? 0 }

    /// The case name for error messages; never the value itself.
    var typeName: String { kind?.rawValue ?? "null" }

    /// The type OID of a column or parameter type.
    static func oid(of kind: TimescaleColumnType.Kind) -> UInt32 {
        switch kind {
        case .bool: 16
        case .int16: 21
        case .int32: 23
        case .int64: 20
        case .float32: 700
        case .float64: 701
        case .numeric: 1700
        case .text: 25
        case .timestamptz: 1184
        case .jsonb: 3802
        case .uuid: 2950
        }
    }

    /// This value as the column type `kind` expects it, widening only where that is exact; `nil` if it does not fit.
    func converted(to kind: TimescaleColumnType.Kind) -> TimescaleValue? {
        if self.kind == nil || self.kind == kind { return self }
        switch (kind, self) {
        case (.int16, .int32(let v)): return Int16(exactly: v).map { .int16($0) }
        case (.int16, .int64(let v)): return Int16(exactly: v).map { .int16($0) }
        case (.int32, .int16(let v)): return .int32(Int32(v))
        case (.int32, .int64(let v)): return Int32(exactly: v).map { .int32($0) }
        case (.int64, .int16(let v)): return .int64(Int64(v))
        case (.int64, .int32(let v)): return .int64(Int64(v))
        case (.float64, .float32(let v)): return .float64(Double(v))
        case (.float64, .int16(let v)): return .float64(Double(v))
        case (.float64, .int32(let v)): return .float64(Double(v))
        case (.float64, .int64(let v)): return Double(exactly: v).map { .float64($0) }
        case (.numeric, .int16(let v)): return .numeric(TimescaleNumeric(Int64(v)))
        case (.numeric, .int32(let v)): return .numeric(TimescaleNumeric(Int64(v)))
        case (.numeric, .int64(let v)): return .numeric(TimescaleNumeric(v))
        case (.jsonb, .text(let json)): return .jsonb(json)
        default: return nil
        }
    }

    /// Appends the value's binary form (without a length word). Not called for `.null`.
    func appendBinary(to buffer: inout [UInt8]) throws(TimescaleError) {
        switch self {
        case .null: break
        case .bool(let v): buffer.append(v ? 1 : 0)
        case .int16(let v): buffer.appendBigEndian(v)
        case .int32(let v): buffer.appendBigEndian(v)
        case .int64(let v): buffer.appendBigEndian(v)
        case .float32(let v): buffer.appendBigEndian(v.bitPattern)
        case .float64(let v): buffer.appendBigEndian(v.bitPattern)
        case .numeric(let v): v.appendBinary(to: &buffer)
        case .text(let v): buffer.append(contentsOf: v.utf8)
        case .timestamptz(let v):
            // PostgreSQL counts microseconds from 2000-01-01 00:00 UTC, 946 684 800 s after the Unix epoch.
            let (micros, overflow) = v.microsecondsSinceUnixEpoch.subtractingReportingOverflow(946_684_800_000_000)
            if overflow { throw TimescaleError(code: .valueType, message: "timestamp out of range") }
            buffer.appendBigEndian(micros)
        case .jsonb(let v):
            buffer.append(1)  // jsonb binary format version
            buffer.append(contentsOf: v.utf8)
        case .uuid(let v): withUnsafeBytes(of: v.uuid) { buffer.append(contentsOf: $0) }
        }
    }

    /// Appends a length-prefixed field as in COPY binary tuples and bind buffers: -1 for `NULL`.
    func appendField(to buffer: inout [UInt8]) throws(TimescaleError) {
        if case .null = self {
            buffer.appendBigEndian(Int32(-1))
            return
        }
        let lengthIndex = buffer.count
        buffer.appendBigEndian(Int32(0))
        try appendBinary(to: &buffer)
        let length = buffer.count - lengthIndex - 4
        guard let length32 = Int32(exactly: length) else {
            throw TimescaleError(code: .valueType, message: "value larger than 2 GiB")
        }
        buffer.setBigEndian(length32, at: lengthIndex)
    }
}

extension TimescaleValue {
    /// Appends the value as a length-prefixed field of `column`, widened to its type where that is exact.
    ///
    /// - Returns: Whether the value was `NULL`.
    /// - Throws: A value-type error naming the column when the value does not fit it.
    @discardableResult
    func appendField(to buffer: inout [UInt8], as column: TimescaleColumn) throws(TimescaleError) -> Bool {
        guard let converted = converted(to: column.type.kind) else {
            var error = TimescaleError(
                code: .valueType, message: "a \(typeName) value does not fit column type \(column.type)")
            error.column = column.name
            throw error
        }
        do throws(TimescaleError) {
            try converted.appendField(to: &buffer)
        } catch {
            var error = error
            error.column = column.name
            throw error
        }
        if case .null = converted { return true }
        return false
    }
}

extension TimescaleNumeric {
    /// PostgreSQL's `numeric_send`: ndigits, weight, sign, dscale (int16 each), then base-10000 digits.
    func appendBinary(to buffer: inout [UInt8]) {
        if description == "NaN" {
            buffer.appendBigEndian(Int16(0))
            buffer.appendBigEndian(Int16(0))
            buffer.appendBigEndian(UInt16(0xC000))
            buffer.appendBigEndian(Int16(0))
            return
        }
        var text = Substring(description)
        let negative = text.hasPrefix("-")
        if negative { text = text.dropFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integer = parts[0] == "0" ? Substring() : parts[0]
        let fraction = parts.count > 1 ? parts[1] : Substring()
        // Group digits in fours on both sides of the decimal point.
        let integerPadded = String(repeating: "0", count: (4 - integer.count % 4) % 4) + integer
        let fractionPadded = fraction + String(repeating: "0", count: (4 - fraction.count % 4) % 4)
        var groups: [Int16] = []
        groups.reserveCapacity((integerPadded.count + fractionPadded.count) / 4)
        for chunk in [integerPadded.utf8[...], fractionPadded.utf8[...]] {
            var value: Int16 = 0
            for (offset, byte) in chunk.enumerated() {
                value = value * 10 + Int16(byte - UInt8(ascii: "0"))
                if offset % 4 == 3 {
                    groups.append(value)
                    value = 0
                }
            }
        }
        var weight = integerPadded.count / 4 - 1
        var first = 0
        while first < groups.count && groups[first] == 0 {
            first += 1
            weight -= 1
        }
        var last = groups.count
        while last > first && groups[last - 1] == 0 { last -= 1 }
        let digits = groups[first..<last]
        if digits.isEmpty { weight = 0 }
        buffer.appendBigEndian(Int16(digits.count))
        buffer.appendBigEndian(Int16(weight))
        buffer.appendBigEndian(UInt16(negative ? 0x4000 : 0))
        buffer.appendBigEndian(Int16(fraction.count))
        for digit in digits { buffer.appendBigEndian(digit) }
    }
}

extension [UInt8] {
    @inline(__always)
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    mutating func setBigEndian(_ value: Int32, at index: Int) {
        Swift.withUnsafeBytes(of: value.bigEndian) { bytes in
            for offset in 0..<4 { self[index + offset] = bytes[offset] }
        }
    }
}
