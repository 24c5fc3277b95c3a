#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The mutable side of one encode call: the output, the containers still open, the coding path and the
/// cache of member names.
///
/// Containers write straight into the output as the value's `encode(to:)` calls them: an object's `{` when its
/// container is made, each member when it is encoded, the `}` when the value (or a later write to an outer
/// container) finishes it. So a container can no longer be written once a container outside it has been
/// written again; that rare pattern throws ``JSONError/Kind/invalidValue`` rather than produce wrong JSON.
///
/// `@unchecked Sendable` because the pool moves states between threads: a state is used by one encode call at
/// a time, which takes it from the pool and gives it back only when it has finished with it.
final class JSONWritingState: JSONPoolable, @unchecked Sendable {
    struct Frame {
        var isObject: Bool
        var count: Int
        let id: Int
        /// Output offset right after a `super` member's key whose value may still be missing, else `-1`.
        var pendingValue: Int
    }

    /// The mutable state, behind a pointer the state object owns, for the reason ``JSONReader`` gives: no
    /// dynamic exclusivity checks on the per-member path. One thread at a time uses a writing state.
    private struct Storage {
        var writer = JSONWriter(bytes: [])
        var frames: [Frame] = []
        var nextFrameID = 0
        var path: [JSONPathComponent] = []
        var keyTables: [JSONKeyTable] = []
        var keyTableIndices: [ObjectIdentifier: Int] = [:]
        /// Records of one type are usually encoded in a row: skip hashing for the table used last.
        var lastKeyTable: (type: ObjectIdentifier, index: Int)?
        var typeCache = JSONTypeCache(decoding: false)
    }

    let keyMapping: JSONKeyMapping
    private let storage: UnsafeMutablePointer<Storage>

    var writer: JSONWriter {
        _read { yield storage.pointee.writer }
        _modify { yield &storage.pointee.writer }
    }
    private(set) var frames: [Frame] {
        _read { yield storage.pointee.frames }
        _modify { yield &storage.pointee.frames }
    }
    var path: [JSONPathComponent] {
        _read { yield storage.pointee.path }
        _modify { yield &storage.pointee.path }
    }

    init(keyMapping: JSONKeyMapping) {
        self.keyMapping = keyMapping
        storage = .allocate(capacity: 1)
        storage.initialize(to: Storage())
        frames.reserveCapacity(8)
        path.reserveCapacity(8)
    }

    deinit {
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    func reset() {
        frames.removeAll(keepingCapacity: true)
        path.removeAll(keepingCapacity: true)
    }

    func invalid(_ reason: String) -> JSONError {
        JSONError(kind: .invalidValue, byteOffset: 0, codingPath: JSONPathComponent.render(path), reason: reason)
    }

    /// `error`, thrown where the path was unknown, with the current path and `last` appended.
    func locating(_ error: JSONError, _ last: JSONPathComponent? = nil) -> JSONError {
        var error = error
        error.codingPath = JSONPathComponent.render(last.map { path + [$0] } ?? path)
        return error
    }

    /// Writes a scalar, naming the current path (and `last`) in its error; `last` is only evaluated then.
    func write(
        _ scalar: some JSONScalar, at last: @autoclosure () -> JSONPathComponent? = nil
    ) throws(JSONError) {
        do {
            try scalar.write(to: &writer)
        } catch {
            throw locating(error, last())
        }
    }

    /// The index of the member-name cache of `Key`, made on first use and kept with this state.
    func keyTable<Key: CodingKey>(for type: Key.Type) -> Int {
        let id = ObjectIdentifier(type)
        if let last = storage.pointee.lastKeyTable, last.type == id { return last.index }
        let index = storage.pointee.keyTableIndices[id] ?? storage.pointee.keyTables.count
        if index == storage.pointee.keyTables.count {
            storage.pointee.keyTables.append(JSONKeyTable())
            storage.pointee.keyTableIndices[id] = index
        }
        storage.pointee.lastKeyTable = (id, index)
        return index
    }

    /// Writes `"wire_name":` for the coding key `name` of key table `table`; `hint` is where the last name was
    /// found, to try the next one first.
    func writeMember(_ name: String, table: Int, hint: inout Int) {
        if let index = storage.pointee.keyTables[table].index(of: name, hint: hint) {
            storage.pointee.writer.bytes.append(contentsOf: storage.pointee.keyTables[table].wireNames[index])
            hint = index + 1
        } else {
            storage.pointee.writer.bytes.append(
                contentsOf: storage.pointee.keyTables[table].add(name, keyMapping: keyMapping))
            hint = storage.pointee.keyTables[table].names.count
        }
    }

    // MARK: - Containers

    /// Opens an object or array and returns its frame's identity.
    func open(object: Bool) -> (depth: Int, id: Int) {
        writer.writeByte(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        storage.pointee.nextFrameID &+= 1
        let id = storage.pointee.nextFrameID
        frames.append(Frame(isObject: object, count: 0, id: id, pendingValue: -1))
        return (frames.count - 1, id)
    }

    /// Makes the container (`depth`, `id`) the innermost open one, closing the containers inside it, and
    /// writes the separator for its next member or element.
    func beginElement(depth: Int, id: Int) throws(JSONError) {
        if depth != frames.count - 1 || frames[depth].pendingValue >= 0 {
            try close(downTo: depth + 1)
            settlePendingValue()
        }
        guard depth >= 0, depth < frames.count, frames[depth].id == id else {
            throw invalid("a container was written after its parent had moved on")
        }
        if frames[depth].count > 0 { writer.writeByte(UInt8(ascii: ",")) }
        frames[depth].count += 1
    }

    /// Closes open containers until only `depth` remain.
    func close(downTo depth: Int) throws(JSONError) {
        while frames.count > depth {
            settlePendingValue()
            writer.writeByte(frames.removeLast().isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    /// A member key was written for a value a separate encoder will produce later (`superEncoder`).
    func expectValue() { frames[frames.count - 1].pendingValue = writer.bytes.count }

    /// Writes `{}` for a pending value that was never encoded, as Foundation does for an empty value.
    private func settlePendingValue() {
        let top = frames.count - 1
        guard top >= 0, frames[top].pendingValue >= 0 else { return }
        if writer.bytes.count == frames[top].pendingValue { writer.writeLiteral("{}") }
        frames[top].pendingValue = -1
    }

    // MARK: - Values

    /// Encodes any `Encodable` at the current output position; the caller wrote the key or separator.
    func encode<T: Encodable>(_ value: T, isTopLevel: Bool = false) throws {
        switch storage.pointee.typeCache.special(for: T.self) {
        case .none:
            let mark = writer.bytes.count
            let depth = frames.count
            try value.encode(to: JSONValueEncoder(state: self, depth: depth, mark: mark))
            try close(downTo: depth)
            if writer.bytes.count == mark {
                // Foundation refuses a top-level value that encodes nothing and writes `{}` for a nested one.
                if isTopLevel { throw invalid("top-level \(T.self) did not encode any values") }
                writer.writeLiteral("{}")
            }
        case .scalar(let scalar):
            try write(value, as: scalar)
        case .date:
            try write((value as! Date).timeIntervalSinceReferenceDate)
        case .data:
            writer.writeString((value as! Data).base64EncodedString())
        case .url:
            writer.writeString((value as! URL).absoluteString)
        case .decimal:
            writer.bytes.append(contentsOf: (value as! Decimal).description.utf8)
        case .stringKeyedDictionary:
            try (value as! any JSONStringKeyedEncodable).encodeJSON(to: self)
        }
    }

    /// Writes `value` as scalar type `S`, which the caller has established is `T`.
    private func write<S: JSONScalar, T>(_ value: T, as scalar: S.Type) throws(JSONError) {
        try write(unsafeBitCast(value, to: S.self))
    }
}

/// `[String: Value]`: its keys are data, written verbatim (never key-mapped) as Foundation does.
protocol JSONStringKeyedEncodable {
    func encodeJSON(to state: JSONWritingState) throws
}

extension Dictionary: JSONStringKeyedEncodable where Key == String, Value: Encodable {
    func encodeJSON(to state: JSONWritingState) throws {
        let (depth, id) = state.open(object: true)
        for (key, value) in self {
            try state.beginElement(depth: depth, id: id)
            state.writer.writeString(key)
            state.writer.writeByte(UInt8(ascii: ":"))
            state.path.append(.name(key))
            defer { state.path.removeLast() }
            try state.encode(value)
        }
        try state.close(downTo: depth)
    }
}

/// The quoted wire names of one `CodingKey` type, each mapped and escaped once and then reused.
struct JSONKeyTable {
    private(set) var names: [String] = []
    private(set) var wireNames: [[UInt8]] = []
    /// Dynamic keys (dictionaries with `Int` keys, custom keys) are not cached past this many names.
    private static let capacity = 256

    /// The index of `name`, trying `hint` (the name after the one found last) first.
    @inline(__always)
    func index(of name: String, hint: Int) -> Int? {
        if hint < names.count, names[hint] == name { return hint }
        return names.firstIndex(of: name)
    }

    /// Maps and quotes `name` as `"wire_name":`, and remembers it unless the table is full.
    mutating func add(_ name: String, keyMapping: JSONKeyMapping) -> [UInt8] {
        var quoted = JSONWriter(bytes: [])
        quoted.writeString(keyMapping.wireName(for: name))
        quoted.writeByte(UInt8(ascii: ":"))
        if names.count < Self.capacity {
            names.append(name)
            wireNames.append(quoted.bytes)
        }
        return quoted.bytes
    }
}
