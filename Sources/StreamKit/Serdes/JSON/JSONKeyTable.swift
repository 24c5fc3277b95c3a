/// The quoted wire names of one `CodingKey` type, each mapped and escaped once and then reused by every record.
///
/// Synthesized `Codable` conformances ask for their keys in declaration order, so a lookup tries the name after
/// the one found last (`hint`) first: for the same literal, that is one `String` comparison of identical bits.
struct JSONKeyTable {
    private(set) var names: [String] = []
    private(set) var wireNames: [[UInt8]] = []
    /// Dynamic keys (dictionaries with `Int` keys, custom keys) are not cached past this many names.
    private static let capacity = 256

    /// The index of `name`, trying `hint` (the name after the one found last) first; the name is added when
    /// new. Returns `names.count` for a name the full table cannot hold: see ``wireName(_:of:keyMapping:)``.
    @inline(__always)
    mutating func resolve(_ name: String, hint: Int, keyMapping: JSONKeyMapping) -> Int {
        if hint < names.count, names[hint] == name { return hint }
        return names.firstIndex(of: name) ?? add(name, keyMapping: keyMapping)
    }

    /// The quoted wire name at `index`, or `name`'s, mapped again, for an index past the end of a full table.
    func wireName(_ index: Int, of name: String, keyMapping: JSONKeyMapping) -> [UInt8] {
        index < wireNames.count ? wireNames[index] : Self.quotedWireName(for: name, keyMapping: keyMapping)
    }

    /// Remembers `name` unless the table is full; returns its index (`names.count` when it was not kept).
    private mutating func add(_ name: String, keyMapping: JSONKeyMapping) -> Int {
        guard names.count < Self.capacity else { return names.count }
        let quoted = Self.quotedWireName(for: name, keyMapping: keyMapping)
        names.append(name)
        wireNames.append(quoted)
        return names.count - 1
    }

    /// The member name `name` maps to, unescaped.
    static func wireName(for name: String, keyMapping: JSONKeyMapping) -> String {
        switch keyMapping {
        case .snakeCase: JSONKeyMapping.snakeCaseWireName(for: name)
        case .useDefaultKeys: name
        }
    }

    private static func quotedWireName(for name: String, keyMapping: JSONKeyMapping) -> [UInt8] {
        var quoted = JSONWriter(bytes: [])
        quoted.writeString(wireName(for: name, keyMapping: keyMapping))
        quoted.writeByte(UInt8(ascii: ":"))
        return quoted.bytes
    }
}

/// The key tables of one encoder, one per `CodingKey` type, kept for as long as the pooled state lives.
struct JSONKeyTables {
    private(set) var tables: [JSONKeyTable] = []
    private var indices: [ObjectIdentifier: Int] = [:]
    /// Records of one type usually come in a row: skip hashing for the table used last.
    private var last: (type: ObjectIdentifier, index: Int)?

    /// The index of the table of `Key`, made on first use.
    mutating func index<Key: CodingKey>(for type: Key.Type) -> Int {
        let id = ObjectIdentifier(type)
        if let last, last.type == id { return last.index }
        let index = indices[id] ?? tables.count
        if index == tables.count {
            tables.append(JSONKeyTable())
            indices[id] = index
        }
        last = (id, index)
        return index
    }

    /// `JSONKeyTable.resolve` on table `table`, in place.
    @inline(__always)
    mutating func resolve(_ name: String, in table: Int, hint: Int, keyMapping: JSONKeyMapping) -> Int {
        tables[table].resolve(name, hint: hint, keyMapping: keyMapping)
    }
}
