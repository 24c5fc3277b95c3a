import Foundation

/// The mutable side of one `AvroDecoder.decode` call: the bytes, and the positions of record fields and
/// array ends learnt so far (`slots`), which Codable's non-mutating containers cannot keep themselves.
///
/// Avro binary has no field tags, so a record field is found by walking the fields before it. Fields read in
/// schema order cost nothing extra: decoding field *i* records where field *i + 1* starts. A field asked
/// for out of order, or after a nested value Codable left half-read, is found by skipping.
final class AvroDecodingState {
    let nodes: [AvroNode]
    let bytes: UnsafeRawBufferPointer
    let resolution: AvroResolution?
    /// Record blocks `[node, next expected field, start of field 0 … start of field n (the end)]` and
    /// array/map blocks `[node, start, end]`, `-1` where not known yet.
    var slots: [Int] = []
    var depth = 0

    init(nodes: [AvroNode], bytes: UnsafeRawBufferPointer, resolution: AvroResolution?) {
        self.nodes = nodes
        self.bytes = bytes
        self.resolution = resolution
        slots.reserveCapacity(32)
    }

    // MARK: - Values

    /// Decodes a `T` at `node` from `position`; returns it with the position just past it.
    func decode<T: Decodable>(_ type: T.Type, node: Int, at position: Int) throws -> (T, Int) {
        if let special = try decodeSpecial(type, node: node, at: position) { return special }
        var reader = AvroReader(bytes: bytes, position: position)
        let target = try branch(of: node, &reader)
        depth += 1
        defer { depth -= 1 }
        guard depth < 512 else { throw AvroReadFailure("values nested deeper than 512 levels") }
        let mark = slots.count
        let value = try T(from: AvroValueDecoder(state: self, node: target, position: reader.position))
        return (value, try end(of: target, at: reader.position, blockMark: mark))
    }

    private func decodeSpecial<T: Decodable>(_ type: T.Type, node: Int, at position: Int) throws -> (T, Int)? {
        var reader = AvroReader(bytes: bytes, position: position)
        if T.self == Date.self {
            let target = try branch(of: node, &reader)
            switch nodes[target] {
            case .long(let logical), .int(let logical):
                guard let date = AvroLogicalValues.date(fromEpochValue: try reader.readLong(), as: logical) else {
                    break
                }
                return (date as! T, reader.position)
            default: break
            }
            throw mismatch("Date", target)
        } else if T.self == UUID.self {
            let (text, end) = try readString(node: node, at: position)
            guard let uuid = UUID(uuidString: text) else { throw AvroReadFailure("'\(text.prefix(40))' is not a UUID") }
            return (uuid as! T, end)
        } else if T.self == Decimal.self {
            let target = try branch(of: node, &reader)
            let raw: UnsafeRawBufferPointer
            let scale: Int
            switch nodes[target] {
            case .bytes(.decimal(_, let decimalScale)?):
                raw = try reader.readBytes()
                scale = decimalScale
            case .fixed(let fixed):
                guard case .decimal(_, let decimalScale)? = fixed.logicalType else { throw mismatch("Decimal", target) }
                raw = try reader.readFixed(fixed.size)
                scale = decimalScale
            default: throw mismatch("Decimal", target)
            }
            return (try AvroLogicalValues.decimal(fromUnscaled: raw, scale: scale) as! T, reader.position)
        } else if T.self == [UInt8].self {
            let (raw, end) = try readBytes(node: node, at: position)
            return (Array(raw) as! T, end)
        } else if T.self == Data.self {
            let (raw, end) = try readBytes(node: node, at: position)
            return (Data(raw) as! T, end)
        }
        return nil
    }

    /// The union branch at `reader`'s position (consuming its index), or `node` itself when not a union.
    @inline(__always)
    func branch(of node: Int, _ reader: inout AvroReader) throws(AvroReadFailure) -> Int {
        guard case .union(let branches) = nodes[node] else { return node }
        let index = try reader.readLong()
        guard index >= 0, index < branches.count else {
            throw AvroReadFailure("union branch \(index) out of range 0..<\(branches.count)")
        }
        return branches[Int(index)]
    }

    func mismatch(_ swiftType: String, _ node: Int) -> AvroReadFailure {
        AvroReadFailure("expected \(swiftType), the schema has \(nodes[node].typeName)")
    }

    // MARK: - Primitives

    func isNil(node: Int, at position: Int) throws(AvroReadFailure) -> Bool {
        var reader = AvroReader(bytes: bytes, position: position)
        if case .null = nodes[try branch(of: node, &reader)] { return true }
        return false
    }

    func readNil(node: Int, at position: Int) throws(AvroReadFailure) -> Int {
        var reader = AvroReader(bytes: bytes, position: position)
        guard case .null = nodes[try branch(of: node, &reader)] else { throw mismatch("nil", node) }
        return reader.position
    }

    func readBool(node: Int, at position: Int) throws(AvroReadFailure) -> (Bool, Int) {
        var reader = AvroReader(bytes: bytes, position: position)
        let target = try branch(of: node, &reader)
        guard case .boolean = nodes[target] else { throw mismatch("Bool", target) }
        return (try reader.readBoolean(), reader.position)
    }

    @inline(__always)
    func readInteger<I: FixedWidthInteger>(_ type: I.Type, node: Int, at position: Int) throws(AvroReadFailure) -> (
        I, Int
    ) {
        var reader = AvroReader(bytes: bytes, position: position)
        let target = try branch(of: node, &reader)
        switch nodes[target] {
        case .long, .int:
            let value = try reader.readLong()
            guard let integer = I(exactly: value) else { throw AvroReadFailure("\(value) does not fit \(I.self)") }
            return (integer, reader.position)
        default:
            throw mismatch("\(I.self)", target)
        }
    }

    @inline(__always)
    func readDouble(node: Int, at position: Int) throws(AvroReadFailure) -> (Double, Int) {
        var reader = AvroReader(bytes: bytes, position: position)
        let target = try branch(of: node, &reader)
        switch nodes[target] {
        case .double: return (try reader.readDouble(), reader.position)
        case .float: return (Double(try reader.readFloat()), reader.position)
        case .long, .int: return (Double(try reader.readLong()), reader.position)
        default: throw mismatch("Double", target)
        }
    }

    func readFloat(node: Int, at position: Int) throws(AvroReadFailure) -> (Float, Int) {
        var reader = AvroReader(bytes: bytes, position: position)
        let target = try branch(of: node, &reader)
        switch nodes[target] {
        case .float: return (try reader.readFloat(), reader.position)
        case .long, .int: return (Float(try reader.readLong()), reader.position)
        default: throw mismatch("Float", target)
        }
    }

    @inline(__always)
    func readString(node: Int, at position: Int) throws(AvroReadFailure) -> (String, Int) {
        var reader = AvroReader(bytes: bytes, position: position)
        let target = try branch(of: node, &reader)
        switch nodes[target] {
        case .string, .bytes: return (try reader.readString(), reader.position)
        case .enumeration(let enumeration):
            let index = try reader.readLong()
            guard index >= 0, index < enumeration.symbols.count else {
                throw AvroReadFailure("enum \(enumeration.name) index \(index) out of range")
            }
            return (enumeration.symbols[Int(index)], reader.position)
        default: throw mismatch("String", target)
        }
    }

    func readBytes(node: Int, at position: Int) throws(AvroReadFailure) -> (UnsafeRawBufferPointer, Int) {
        var reader = AvroReader(bytes: bytes, position: position)
        let target = try branch(of: node, &reader)
        switch nodes[target] {
        case .bytes, .string: return (try reader.readBytes(), reader.position)
        case .fixed(let fixed): return (try reader.readFixed(fixed.size), reader.position)
        default: throw mismatch("[UInt8]", target)
        }
    }

    // MARK: - Skipping and ends

    /// The position just past the value at `node` that a Codable initializer has just read, from the block it
    /// left in `slots` when it read to the end, else by skipping.
    func end(of node: Int, at position: Int, blockMark mark: Int) throws(AvroReadFailure) -> Int {
        guard slots.count > mark, slots[mark] == node else { return try skip(node, at: position) }
        switch nodes[node] {
        case .record(let record):
            guard slots[mark + 2] == position else { break }
            return try fieldStart(record.fields.count, record: record, block: mark)
        case .array, .map:
            guard slots[mark + 1] == position, slots[mark + 2] >= 0 else { break }
            return slots[mark + 2]
        default: break
        }
        return try skip(node, at: position)
    }

    /// Where field `index` of the record in `block` starts (`fields.count`: where the record ends).
    func fieldStart(_ index: Int, record: AvroRecord, block: Int) throws(AvroReadFailure) -> Int {
        let base = block + 2
        if slots[base + index] >= 0 { return slots[base + index] }
        var known = index
        while slots[base + known] < 0 { known -= 1 }
        var position = slots[base + known]
        while known < index {
            position = try skip(record.fields[known].type, at: position)
            known += 1
            slots[base + known] = position
        }
        return position
    }

    func skip(_ node: Int, at position: Int) throws(AvroReadFailure) -> Int {
        var reader = AvroReader(bytes: bytes, position: position)
        try skip(node, &reader, depth: 0)
        return reader.position
    }

    private func skip(_ node: Int, _ reader: inout AvroReader, depth: Int) throws(AvroReadFailure) {
        guard depth < 512 else { throw AvroReadFailure("values nested deeper than 512 levels") }
        switch nodes[node] {
        case .null: break
        case .boolean: _ = try reader.readBoolean()
        case .int, .long, .enumeration: _ = try reader.readLong()
        case .float: _ = try reader.readFixed(4)
        case .double: _ = try reader.readFixed(8)
        case .bytes, .string: _ = try reader.readBytes()
        case .fixed(let fixed): _ = try reader.readFixed(fixed.size)
        case .record(let record): for field in record.fields { try skip(field.type, &reader, depth: depth + 1) }
        case .union: try skip(try branch(of: node, &reader), &reader, depth: depth + 1)
        case .array(let items):
            while true {
                let count = try blockCount(&reader, item: items)
                if count == 0 { break }
                for _ in 0..<count { try skip(items, &reader, depth: depth + 1) }
            }
        case .map(let values):
            while true {
                let count = try blockCount(&reader, item: values)
                if count == 0 { break }
                for _ in 0..<count {
                    _ = try reader.readBytes()
                    try skip(values, &reader, depth: depth + 1)
                }
            }
        }
    }

    /// The next block's item count, refused when the bytes left cannot hold that many items: each item
    /// takes at least one byte unless its type is `null`, so corrupt counts fail fast instead of looping.
    func blockCount(_ reader: inout AvroReader, item: Int) throws(AvroReadFailure) -> Int {
        let count = try reader.readBlockCount()
        let limit: Int
        if case .null = nodes[item] { limit = 1 << 24 } else { limit = reader.remaining }
        guard count <= limit else {
            throw AvroReadFailure("block of \(count) items exceeds the \(reader.remaining) bytes left")
        }
        return count
    }
}
