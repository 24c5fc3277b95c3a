/// The `Encoder` handed to `encode(to:)`: a schema node to write at, over the shared state. Three words, so
/// passing it as `any Encoder` needs no allocation.
struct AvroValueEncoder: Encoder {
    let state: AvroEncodingState
    let node: Int

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(
            AvroKeyedEncodingContainer<Key>(state: state, frame: state.frame(for: node, keyed: true)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        AvroUnkeyedEncodingContainer(state: state, frame: state.frame(for: node, keyed: false))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        AvroSingleValueEncodingContainer(state: state, node: node)
    }
}

/// Writes one value at a node; every call dispatches on the node's type (unions pick their branch).
struct AvroSingleValueEncodingContainer: SingleValueEncodingContainer {
    let state: AvroEncodingState
    let node: Int
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { try state.writeNil(node: node) }
    mutating func encode(_ value: Bool) throws { try state.writeBool(value, node: node) }
    mutating func encode(_ value: String) throws { try state.writeString(value, node: node) }
    mutating func encode(_ value: Double) throws { try state.writeDouble(value, node: node) }
    mutating func encode(_ value: Float) throws { try state.writeFloat(value, node: node) }
    mutating func encode(_ value: Int) throws { try state.writeInteger(value, node: node) }
    mutating func encode(_ value: Int8) throws { try state.writeInteger(value, node: node) }
    mutating func encode(_ value: Int16) throws { try state.writeInteger(value, node: node) }
    mutating func encode(_ value: Int32) throws { try state.writeInteger(value, node: node) }
    mutating func encode(_ value: Int64) throws { try state.writeInteger(value, node: node) }
    mutating func encode(_ value: UInt) throws { try state.writeInteger(value, node: node) }
    mutating func encode(_ value: UInt8) throws { try state.writeInteger(value, node: node) }
    mutating func encode(_ value: UInt16) throws { try state.writeInteger(value, node: node) }
    mutating func encode(_ value: UInt32) throws { try state.writeInteger(value, node: node) }
    mutating func encode(_ value: UInt64) throws { try state.writeInteger(value, node: node) }
    mutating func encode<T: Encodable>(_ value: T) throws { try state.encode(value, node: node) }
}

/// Writes record fields (in schema order, whatever order they come in) or map entries.
struct AvroKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let state: AvroEncodingState
    let frame: Int
    var codingPath: [any CodingKey] { [] }

    private func field(_ key: Key, _ write: (Int) throws -> Void) throws {
        try state.encodeField(frame: frame, key: key.stringValue, write)
    }

    mutating func encodeNil(forKey key: Key) throws { try field(key) { try state.writeNil(node: $0) } }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try field(key) { try state.writeBool(value, node: $0) }
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        try field(key) { try state.writeString(value, node: $0) }
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        try field(key) { try state.writeDouble(value, node: $0) }
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        try field(key) { try state.writeFloat(value, node: $0) }
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        try field(key) { try state.writeInteger(value, node: $0) }
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        try field(key) { try state.writeInteger(value, node: $0) }
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        try field(key) { try state.writeInteger(value, node: $0) }
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        try field(key) { try state.writeInteger(value, node: $0) }
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        try field(key) { try state.writeInteger(value, node: $0) }
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        try field(key) { try state.writeInteger(value, node: $0) }
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        try field(key) { try state.writeInteger(value, node: $0) }
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        try field(key) { try state.writeInteger(value, node: $0) }
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        try field(key) { try state.writeInteger(value, node: $0) }
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        try field(key) { try state.writeInteger(value, node: $0) }
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try field(key) { try state.encode(value, node: $0) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        state.unsupportedNesting()
        return KeyedEncodingContainer(AvroKeyedEncodingContainer<NestedKey>(state: state, frame: frame))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        state.unsupportedNesting()
        return AvroUnkeyedEncodingContainer(state: state, frame: frame)
    }

    mutating func superEncoder() -> any Encoder {
        state.unsupportedNesting(); return AvroValueEncoder(state: state, node: 0)
    }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder() }
}

/// Writes array items, or the bytes of a `bytes`/`fixed` value given one `UInt8` at a time.
struct AvroUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let state: AvroEncodingState
    let frame: Int
    var codingPath: [any CodingKey] { [] }
    var count: Int { state.frames[frame].count }

    private func item(_ write: (Int) throws -> Void) throws {
        let node = state.frames[frame].node
        guard case .array(let items) = state.nodes[node] else {
            throw AvroError(code: .encoding, reason: "a list cannot be written as Avro \(state.nodes[node].typeName)")
        }
        try write(items)
        state.frames[frame].count += 1
    }

    mutating func encode(_ value: UInt8) throws {
        switch state.nodes[state.frames[frame].node] {
        case .bytes, .fixed:
            state.out.append(value)
            state.frames[frame].count += 1
        default:
            try item { try state.writeInteger(value, node: $0) }
        }
    }

    mutating func encodeNil() throws { try item { try state.writeNil(node: $0) } }
    mutating func encode(_ value: Bool) throws { try item { try state.writeBool(value, node: $0) } }
    mutating func encode(_ value: String) throws { try item { try state.writeString(value, node: $0) } }
    mutating func encode(_ value: Double) throws { try item { try state.writeDouble(value, node: $0) } }
    mutating func encode(_ value: Float) throws { try item { try state.writeFloat(value, node: $0) } }
    mutating func encode(_ value: Int) throws { try item { try state.writeInteger(value, node: $0) } }
    mutating func encode(_ value: Int8) throws { try item { try state.writeInteger(value, node: $0) } }
    mutating func encode(_ value: Int16) throws { try item { try state.writeInteger(value, node: $0) } }
    mutating func encode(_ value: Int32) throws { try item { try state.writeInteger(value, node: $0) } }
    mutating func encode(_ value: Int64) throws { try item { try state.writeInteger(value, node: $0) } }
    mutating func encode(_ value: UInt) throws { try item { try state.writeInteger(value, node: $0) } }
    mutating func encode(_ value: UInt16) throws { try item { try state.writeInteger(value, node: $0) } }
    mutating func encode(_ value: UInt32) throws { try item { try state.writeInteger(value, node: $0) } }
    mutating func encode(_ value: UInt64) throws { try item { try state.writeInteger(value, node: $0) } }
    mutating func encode<T: Encodable>(_ value: T) throws { try item { try state.encode(value, node: $0) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
        NestedKey
    > {
        state.unsupportedNesting()
        return KeyedEncodingContainer(AvroKeyedEncodingContainer<NestedKey>(state: state, frame: frame))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        state.unsupportedNesting()
        return self
    }

    mutating func superEncoder() -> any Encoder {
        state.unsupportedNesting(); return AvroValueEncoder(state: state, node: 0)
    }
}

extension AvroEncodingState {
    /// Codable's nested containers and super encoders write later than the call that makes them, which
    /// Avro's in-order binary cannot follow; synthesized `Codable` never uses them.
    func unsupportedNesting() {
        failure =
            failure
            ?? AvroError(
                code: .unsupported,
                reason: "nested containers and superEncoder are not supported; encode nested values as types")
    }
}
