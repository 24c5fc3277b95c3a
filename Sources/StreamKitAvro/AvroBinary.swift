/// The primitive encodings of the Avro specification ("Binary Encoding"): zig-zag varints for `int` and
/// `long`, little-endian IEEE 754 for `float` and `double`, length-prefixed `bytes` and `string`.
enum AvroBinary {
    @inline(__always)
    static func writeLong(_ value: Int64, into out: inout [UInt8]) {
        var n = UInt64(bitPattern: (value &<< 1) ^ (value >> 63))
        while n >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        out.append(UInt8(truncatingIfNeeded: n))
    }

    @inline(__always)
    static func writeDouble(_ value: Double, into out: inout [UInt8]) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { out.append(contentsOf: $0) }
    }

    @inline(__always)
    static func writeFloat(_ value: Float, into out: inout [UInt8]) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { out.append(contentsOf: $0) }
    }

    @inline(__always)
    static func writeBytes<C: Collection<UInt8>>(_ bytes: C, into out: inout [UInt8]) {
        writeLong(Int64(bytes.count), into: &out)
        out.append(contentsOf: bytes)
    }

    @inline(__always)
    static func writeString(_ string: String, into out: inout [UInt8]) {
        var string = string
        string.withUTF8 { writeBytes($0, into: &out) }
    }

    /// Inserts the zig-zag varint of `value` at `index`, shifting what follows (array and map counts,
    /// known only after their items are written).
    static func insertLong(_ value: Int64, at index: Int, into out: inout [UInt8]) {
        var prefix: [UInt8] = []
        writeLong(value, into: &prefix)
        if prefix.count == 1 {
            out.insert(prefix[0], at: index)
        } else {
            out.insert(contentsOf: prefix, at: index)
        }
    }
}

/// A cursor over Avro binary that never reads past its end: every read checks its bounds and throws
/// `AvroReadFailure` on truncated or malformed input.
struct AvroReader {
    let bytes: UnsafeRawBufferPointer
    var position: Int

    @inline(__always)
    var remaining: Int { bytes.count - position }

    @inline(__always)
    mutating func readLong() throws(AvroReadFailure) -> Int64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count else { throw AvroReadFailure("truncated varint at byte \(position)") }
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
            guard shift < 64 else { throw AvroReadFailure("varint longer than 10 bytes at byte \(position)") }
        }
        return Int64(bitPattern: (result >> 1) ^ (0 &- (result & 1)))
    }

    @inline(__always)
    mutating func readBoolean() throws(AvroReadFailure) -> Bool {
        guard position < bytes.count else { throw AvroReadFailure("truncated boolean at byte \(position)") }
        let byte = bytes[position]
        position += 1
        guard byte <= 1 else { throw AvroReadFailure("invalid boolean byte \(byte)") }
        return byte == 1
    }

    @inline(__always)
    mutating func readDouble() throws(AvroReadFailure) -> Double {
        guard remaining >= 8 else { throw AvroReadFailure("truncated double at byte \(position)") }
        let bits = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        position += 8
        return Double(bitPattern: UInt64(littleEndian: bits))
    }

    @inline(__always)
    mutating func readFloat() throws(AvroReadFailure) -> Float {
        guard remaining >= 4 else { throw AvroReadFailure("truncated float at byte \(position)") }
        let bits = bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)
        position += 4
        return Float(bitPattern: UInt32(littleEndian: bits))
    }

    /// A length-prefixed byte run, in place.
    @inline(__always)
    mutating func readBytes() throws(AvroReadFailure) -> UnsafeRawBufferPointer {
        let length = try readLong()
        guard length >= 0, length <= remaining else {
            throw AvroReadFailure("byte length \(length) exceeds the \(remaining) bytes left at byte \(position)")
        }
        return try readFixed(Int(length))
    }

    @inline(__always)
    mutating func readFixed(_ size: Int) throws(AvroReadFailure) -> UnsafeRawBufferPointer {
        guard size <= remaining else { throw AvroReadFailure("truncated fixed(\(size)) at byte \(position)") }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + size)])
        position += size
        return slice
    }

    @inline(__always)
    mutating func readString() throws(AvroReadFailure) -> String {
        let raw = try readBytes()
        guard let string = String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self) else {
            throw AvroReadFailure("invalid UTF-8 in a string")
        }
        return string
    }

    /// The item count of the next array or map block; a negative count is followed by the block's size.
    mutating func readBlockCount() throws(AvroReadFailure) -> Int {
        var count = try readLong()
        if count < 0 {
            guard count != .min else { throw AvroReadFailure("invalid block count") }
            count = -count
            _ = try readLong()
        }
        return Int(count)
    }
}

/// Malformed or truncated Avro binary; becomes a `SerdeError` with the field path at the decoder's edge.
struct AvroReadFailure: Error {
    var reason: String
    var path: [String] = []
    init(_ reason: String) { self.reason = reason }

    var field: String {
        path.reversed().reduce(into: "") { text, part in
            text += part.hasPrefix("[") || text.isEmpty ? part : "." + part
        }
    }
}
