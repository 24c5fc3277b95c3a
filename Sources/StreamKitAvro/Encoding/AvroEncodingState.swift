import Foundation

/// The mutable side of one `AvroEncoder.encode` call: the output buffer and the frames of the records,
/// arrays and maps being written, which Codable's containers cannot hold themselves (they are copied
/// freely and get no "finished" call).
final class AvroEncodingState {
    let nodes: [AvroNode]
    var out: [UInt8] = []
    var frames: [Frame] = []
    /// A failure found where Codable gives no way to throw (nested containers); reported at the end.
    var failure: AvroError?
    private var depth = 0

    /// A record, array, map, bytes or fixed value being written.
    struct Frame {
        var node: Int
        var depth: Int
        /// Where the value's bytes start (a count or length is inserted there at the end).
        var start: Int
        /// Items written (arrays, maps, bytes), or the next record field expected in schema order.
        var count = 0
        /// Record fields encoded ahead of schema order, kept until their turn.
        var pending: [Int: [UInt8]] = [:]
    }

    init(nodes: [AvroNode]) {
        self.nodes = nodes
    }

    static func translate(_ error: any Error) -> AvroError {
        switch error {
        case let error as AvroError: error
        case let error as EncodingError:
            if case .invalidValue(_, let context) = error {
                AvroError(code: .encoding, reason: context.debugDescription)
            } else {
                AvroError(code: .encoding, reason: "\(error)")
            }
        default: AvroError(code: .encoding, reason: "\(error)")
        }
    }

    // MARK: - Values

    func encode<T: Encodable>(_ value: T, node: Int) throws {
        if try encodeSpecial(value, node: node) { return }
        if case .union(let branches) = nodes[node] {
            if let optional = value as? any AvroOptionalValue {
                guard let wrapped = optional.wrapped else { return try writeNil(node: node) }
                return try encode(wrapped, node: node)
            }
            if let branch = namedBranch(for: T.self, in: branches) ?? onlyNonNullBranch(branches) {
                AvroBinary.writeLong(Int64(branch), into: &out)
                return try encode(value, node: branches[branch])
            }
        }
        depth += 1
        defer { depth -= 1 }
        guard depth < 512 else { throw AvroError(code: .encoding, reason: "values nested deeper than 512 levels") }
        let mark = frames.count
        try value.encode(to: AvroValueEncoder(state: self, node: node))
        if frames.count == mark, case .record = nodes[node] { _ = frame(for: node) }  // a record with no keys
        if frames.count == mark, case .array = nodes[node] { _ = frame(for: node) }
        while frames.count > mark { try finish(frames.removeLast()) }
    }

    /// `Date`, `UUID`, `Decimal`, `[UInt8]` and `Data`, which map to logical types or bytes rather than to
    /// what their own `encode(to:)` writes.
    private func encodeSpecial<T: Encodable>(_ value: T, node: Int) throws -> Bool {
        if T.self == Date.self {
            try writeLogical(node: node, kind: "Date") { node in
                switch node {
                case .long(let logical), .int(let logical):
                    AvroLogicalValues.epochValue(of: value as! Date, as: logical).map {
                        AvroBinary.writeLong($0, into: &out)
                    }
                default: nil
                }
            }
        } else if T.self == UUID.self {
            try writeString((value as! UUID).uuidString.lowercased(), node: node)
        } else if T.self == Decimal.self {
            try writeLogical(node: node, kind: "Decimal") { node -> Void? in
                switch node {
                case .bytes(.decimal(let precision, let scale)?):
                    let bytes = try AvroLogicalValues.unscaledBytes(
                        of: value as! Decimal, scale: scale, precision: precision, size: nil)
                    AvroBinary.writeBytes(bytes, into: &out)
                case .fixed(let fixed):
                    guard case .decimal(let precision, let scale)? = fixed.logicalType else { return nil }
                    out += try AvroLogicalValues.unscaledBytes(
                        of: value as! Decimal, scale: scale, precision: precision, size: fixed.size)
                default: return nil
                }
                return ()
            }
        } else if T.self == [UInt8].self {
            try writeBytes(value as! [UInt8], node: node)
        } else if T.self == Data.self {
            try writeBytes(value as! Data, node: node)
        } else {
            return false
        }
        return true
    }

    private func writeLogical(node: Int, kind: String, _ write: (AvroNode) throws -> Void?) throws {
        if case .union(let branches) = nodes[node] {
            for (index, branch) in branches.enumerated() {
                let start = out.count
                AvroBinary.writeLong(Int64(index), into: &out)
                if try write(nodes[branch]) != nil { return }
                out.removeSubrange(start...)
            }
        } else if try write(nodes[node]) != nil {
            return
        }
        throw mismatch(kind, node)
    }

    private func namedBranch<T>(for type: T.Type, in branches: [Int]) -> Int? {
        let swiftName = String(describing: type)
        return branches.firstIndex { branch in
            guard let name = nodes[branch].fullName else { return false }
            return name == swiftName || name.hasSuffix("." + swiftName)
        }
    }

    private func onlyNonNullBranch(_ branches: [Int]) -> Int? {
        let candidates = branches.indices.filter { if case .null = nodes[branches[$0]] { false } else { true } }
        return candidates.count == 1 ? candidates[0] : nil
    }

    func mismatch(_ swiftType: String, _ node: Int) -> AvroError {
        AvroError(code: .encoding, reason: "a \(swiftType) cannot be written as Avro \(nodes[node].typeName)")
    }

    // MARK: - Primitives

    /// The index of the first union branch `accepts` takes, written to `out`, and that branch's node.
    @inline(__always)
    private func resolve(_ node: Int, _ swiftType: @autoclosure () -> String, _ accepts: (AvroNode) -> Bool) throws
        -> AvroNode
    {
        let resolved = nodes[node]
        guard case .union(let branches) = resolved else { return resolved }
        guard let index = branches.firstIndex(where: { accepts(nodes[$0]) }) else { throw mismatch(swiftType(), node) }
        AvroBinary.writeLong(Int64(index), into: &out)
        return nodes[branches[index]]
    }

    func writeNil(node: Int) throws {
        guard case .null = try resolve(node, "nil", { if case .null = $0 { true } else { false } }) else {
            throw mismatch("nil", node)
        }
    }

    func writeBool(_ value: Bool, node: Int) throws {
        guard case .boolean = try resolve(node, "Bool", { if case .boolean = $0 { true } else { false } }) else {
            throw mismatch("Bool", node)
        }
        out.append(value ? 1 : 0)
    }

    func writeInteger<I: BinaryInteger>(_ value: I, node: Int) throws {
        let target = try resolve(node, "\(I.self)") { node in
            switch node {
            case .long, .int, .double, .float: true
            default: false
            }
        }
        switch target {
        case .long:
            guard let long = Int64(exactly: value) else {
                throw AvroError(code: .encoding, reason: "\(value) does not fit an Avro long")
            }
            AvroBinary.writeLong(long, into: &out)
        case .int:
            guard let int = Int32(exactly: value) else {
                throw AvroError(code: .encoding, reason: "\(value) does not fit an Avro int")
            }
            AvroBinary.writeLong(Int64(int), into: &out)
        case .double: AvroBinary.writeDouble(Double(value), into: &out)
        case .float: AvroBinary.writeFloat(Float(value), into: &out)
        default: throw mismatch("\(I.self)", node)
        }
    }

    func writeDouble(_ value: Double, node: Int) throws {
        switch try resolve(
            node, "Double",
            { node in if case .double = node { true } else if case .float = node { true } else { false } })
        {
        case .double: AvroBinary.writeDouble(value, into: &out)
        case .float: AvroBinary.writeFloat(Float(value), into: &out)
        default: throw mismatch("Double", node)
        }
    }

    func writeFloat(_ value: Float, node: Int) throws {
        switch try resolve(
            node, "Float",
            { node in if case .float = node { true } else if case .double = node { true } else { false } })
        {
        case .float: AvroBinary.writeFloat(value, into: &out)
        case .double: AvroBinary.writeDouble(Double(value), into: &out)
        default: throw mismatch("Float", node)
        }
    }

    func writeString(_ value: String, node: Int) throws {
        let target = try resolve(node, "String") { node in
            switch node {
            case .string, .bytes: true
            case .enumeration(let enumeration): enumeration.lookup[value] != nil
            default: false
            }
        }
        switch target {
        case .string, .bytes: AvroBinary.writeString(value, into: &out)
        case .enumeration(let enumeration):
            guard let index = enumeration.lookup[value] else {
                throw AvroError(code: .encoding, reason: "'\(value)' is not a symbol of enum \(enumeration.name)")
            }
            AvroBinary.writeLong(Int64(index), into: &out)
        default: throw mismatch("String", node)
        }
    }

    func writeBytes<C: Collection<UInt8>>(_ bytes: C, node: Int) throws {
        let target = try resolve(node, "[UInt8]") { node in
            switch node {
            case .bytes: true
            case .fixed(let fixed): fixed.size == bytes.count
            default: false
            }
        }
        switch target {
        case .bytes: AvroBinary.writeBytes(bytes, into: &out)
        case .fixed(let fixed):
            guard fixed.size == bytes.count else {
                throw AvroError(
                    code: .encoding, reason: "\(bytes.count) bytes for fixed \(fixed.name) of size \(fixed.size)")
            }
            out.append(contentsOf: bytes)
        default: throw mismatch("[UInt8]", node)
        }
    }

    // MARK: - Frames

    /// The frame of the record, array, map, bytes or fixed value at `node`, opened when its container is
    /// first asked for. A union picks the branch the container kind fits and writes its index.
    func frame(for node: Int, keyed: Bool = true) -> Int {
        if let last = frames.last, last.depth == depth { return frames.count - 1 }
        var target = node
        if case .union(let branches) = nodes[node] {
            let index = branches.firstIndex { branch in
                switch nodes[branch] {
                case .record, .map: keyed
                case .array, .bytes, .fixed: !keyed
                default: false
                }
            }
            if let index {
                AvroBinary.writeLong(Int64(index), into: &out)
                target = branches[index]
            } else {
                failure = failure ?? mismatch(keyed ? "keyed value" : "list", node)
            }
        }
        frames.append(Frame(node: target, depth: depth, start: out.count))
        return frames.count - 1
    }

    private func finish(_ frame: Frame) throws {
        switch nodes[frame.node] {
        case .record(let record):
            var next = frame.count
            var pending = frame.pending
            while next < record.fields.count {
                let field = record.fields[next]
                if let bytes = pending.removeValue(forKey: next) {
                    out += bytes
                } else if let nullBranch = nullBranch(of: field.type) {
                    AvroBinary.writeLong(Int64(nullBranch), into: &out)
                } else if let defaultBytes = field.defaultBytes {
                    out += defaultBytes
                } else {
                    throw AvroError(
                        code: .encoding, reason: "missing field '\(field.name)' has no default", field: field.name)
                }
                next += 1
            }
        case .array, .map:
            if frame.count > 0 { AvroBinary.insertLong(Int64(frame.count), at: frame.start, into: &out) }
            out.append(0)
        case .bytes:
            AvroBinary.insertLong(Int64(frame.count), at: frame.start, into: &out)
        case .fixed(let fixed):
            guard frame.count == fixed.size else {
                throw AvroError(
                    code: .encoding, reason: "\(frame.count) bytes for fixed \(fixed.name) of size \(fixed.size)")
            }
        default:
            break
        }
    }

    func nullBranch(of node: Int) -> Int? {
        guard case .union(let branches) = nodes[node] else { return nil }
        return branches.firstIndex { if case .null = nodes[$0] { true } else { false } }
    }

    /// Writes a record field: at once when it is next in schema order, else into a side buffer until then.
    func encodeField(frame index: Int, key: String, _ write: (Int) throws -> Void) throws {
        guard case .record(let record) = nodes[frames[index].node] else {
            return try encodeMapEntry(frame: index, key: key, write)
        }
        let next = frames[index].count
        let field: Int
        if next < record.fields.count, record.fields[next].swiftName == key || record.fields[next].name == key {
            field = next
        } else if let found = record.index(of: key) {
            field = found
        } else {
            throw AvroError(code: .encoding, reason: "record \(record.name) has no field for key '\(key)'", field: key)
        }
        do {
            if field == next {
                try write(record.fields[field].type)
                frames[index].count += 1
                while let bytes = frames[index].pending.removeValue(forKey: frames[index].count) {
                    out += bytes
                    frames[index].count += 1
                }
            } else if field > next, frames[index].pending[field] == nil {
                var side: [UInt8] = []
                swap(&side, &out)
                defer { swap(&side, &out) }
                try write(record.fields[field].type)
                frames[index].pending[field] = out
            } else {
                throw AvroError(code: .encoding, reason: "field '\(record.fields[field].name)' encoded twice")
            }
        } catch let error as AvroError {
            var error = error
            error.field = record.fields[field].name + (error.field.map { "." + $0 } ?? "")
            throw error
        }
    }

    private func encodeMapEntry(frame index: Int, key: String, _ write: (Int) throws -> Void) throws {
        guard case .map(let values) = nodes[frames[index].node] else {
            throw AvroError(
                code: .encoding, reason: "a keyed value cannot be written as Avro \(nodes[frames[index].node].typeName)"
            )
        }
        AvroBinary.writeString(key, into: &out)
        try write(values)
        frames[index].count += 1
    }
}

/// Lets the encoder see through `Optional` whatever it wraps, to pick a union branch.
protocol AvroOptionalValue {
    var wrapped: (any Encodable)? { get }
}

extension Optional: AvroOptionalValue where Wrapped: Encodable {
    var wrapped: (any Encodable)? { self }
}
