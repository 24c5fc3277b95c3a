/// The wire names of one `CodingKey` type's keys as a decoder looks for them, worked out once per type.
///
/// A synthesized `init(from:)` asks for its keys in declaration order, and producers usually write members in
/// that order, so the decoder expects the key after the one it found last (`hint`): recognising it is one
/// `String` comparison of identical literals, and matching the member is one `memcmp` of its raw bytes with
/// the key's quoted wire name. This class only makes that fast path cheap; the key mapping stays the rule.
///
/// Its storage sits behind a pointer, for the reason ``JSONReader`` gives: no dynamic exclusivity checks on the
/// per-member path. It belongs to one pooled reader, which one decode call at a time uses.
final class JSONMemberNames {
    private struct Entry {
        let name: String
        /// `"wire_name"`, quoted as the payload has it when it holds no escapes; `nil` when the key mapping
        /// does not read it back as `name` (`myURL` becomes `my_url`, read back as `myUrl`): then members can
        /// only be matched through the mapping. Owned by the entry, freed with the table.
        let quoted: UnsafeMutableBufferPointer<UInt8>?
    }

    private struct State {
        var count = 0
        let entries: UnsafeMutablePointer<Entry>
    }

    /// Dynamic keys (`AnyJSON`-style types, dictionaries with `Int` keys) get no fast path past this many names.
    private static let capacity = 64

    private let keyMapping: JSONKeyMapping
    private let state: UnsafeMutablePointer<State>

    init(keyMapping: JSONKeyMapping) {
        self.keyMapping = keyMapping
        state = .allocate(capacity: 1)
        state.initialize(to: State(entries: .allocate(capacity: Self.capacity)))
    }

    deinit {
        for index in 0..<state.pointee.count { state.pointee.entries[index].quoted?.deallocate() }
        state.pointee.entries.deinitialize(count: state.pointee.count)
        state.pointee.entries.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// The index of `name`, trying `hint` first and adding the name when new; `-1` once the table is full.
    @inline(__always)
    func index(of name: String, hint: Int) -> Int {
        let count = state.pointee.count
        if hint < count, state.pointee.entries[hint].name == name { return hint }
        for index in 0..<count where state.pointee.entries[index].name == name { return index }
        return add(name)
    }

    /// Whether `bytes` (a member name as the payload has it, quotes included, escapes not undone) is exactly
    /// the quoted wire name of entry `index`, so that the member is certainly the key's.
    @inline(__always)
    func isWireName(_ index: Int, _ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        guard index >= 0, let quoted = state.pointee.entries[index].quoted, quoted.count == count else { return false }
        return memcmpEqual(bytes, quoted.baseAddress!, count)
    }

    /// The length of entry `index`'s quoted wire name when the `available` bytes at `bytes` start with it,
    /// otherwise 0.
    @inline(__always)
    func matchWireName(_ index: Int, at bytes: UnsafePointer<UInt8>, available: Int) -> Int {
        guard index >= 0, let quoted = state.pointee.entries[index].quoted, quoted.count <= available else { return 0 }
        return memcmpEqual(bytes, quoted.baseAddress!, quoted.count) ? quoted.count : 0
    }

    private func add(_ name: String) -> Int {
        let index = state.pointee.count
        guard index < Self.capacity else { return -1 }
        var quoted = Array(keyMapping.wireName(for: name).utf8)
        let decodesBack = quoted.withUnsafeBufferPointer {
            JSONKeyMapping.wireName($0, mapsTo: name, keyMapping: keyMapping)
        }
        // A name that needs escaping never equals a member's raw bytes; quote only the ones that can.
        let isPlain = quoted.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        quoted.insert(UInt8(ascii: "\""), at: 0)
        quoted.append(UInt8(ascii: "\""))
        var stored: UnsafeMutableBufferPointer<UInt8>?
        if decodesBack && isPlain {
            stored = .allocate(capacity: quoted.count)
            _ = stored?.initialize(from: quoted)
        }
        (state.pointee.entries + index).initialize(to: Entry(name: name, quoted: stored))
        state.pointee.count = index + 1
        return index
    }
}
