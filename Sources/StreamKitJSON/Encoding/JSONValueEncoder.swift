/// The `Encoder` handed to `encode(to:)`: the place in the output where one value goes, small enough to live
/// inside an existential without a heap allocation.
///
/// `depth` is the number of containers open when the value started and `mark` the output length then; a value
/// has been written once the output has grown past `mark`.
struct JSONValueEncoder: Encoder, SingleValueEncodingContainer {
    let state: JSONWritingState
    let depth: Int
    let mark: Int

    var codingPath: [any CodingKey] { state.path.map(\.codingKey) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// The frame for a container requested for this value: a new one, or the one already opened by an earlier
    /// request of the same kind (Foundation lets a value ask for its container twice). `nil` when the value
    /// already holds something else.
    private func frame(object: Bool) -> (depth: Int, id: Int)? {
        if state.writer.bytes.count == mark, state.frames.count == depth { return state.open(object: object) }
        guard state.frames.count > depth, state.frames[depth].isObject == object,
            state.writer.bytes.count > mark,
            state.writer.bytes[mark] == (object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        else { return nil }
        return (depth, state.frames[depth].id)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let (depth, id) = frame(object: true) ?? (-1, -1)
        return KeyedEncodingContainer(
            JSONKeyedEncodingContainer<Key>(state: state, depth: depth, id: id, keys: state.keyTable(for: type)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let (depth, id) = frame(object: false) ?? (-1, -1)
        return JSONUnkeyedEncodingContainer(state: state, depth: depth, id: id)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    // MARK: - SingleValueEncodingContainer

    private func prepareSingleValue() throws(JSONError) {
        guard state.writer.bytes.count == mark, state.frames.count == depth else {
            throw state.invalid("a single value container was written twice")
        }
    }

    private func scalar<T: JSONScalar>(_ value: T) throws(JSONError) {
        try prepareSingleValue()
        try state.write(value)
    }

    func encodeNil() throws {
        try prepareSingleValue()
        state.writer.writeLiteral("null")
    }

    func encode(_ value: Bool) throws { try scalar(value) }
    func encode(_ value: String) throws { try scalar(value) }
    func encode(_ value: Double) throws { try scalar(value) }
    func encode(_ value: Float) throws { try scalar(value) }
    func encode(_ value: Int) throws { try scalar(value) }
    func encode(_ value: Int8) throws { try scalar(value) }
    func encode(_ value: Int16) throws { try scalar(value) }
    func encode(_ value: Int32) throws { try scalar(value) }
    func encode(_ value: Int64) throws { try scalar(value) }
    @available(macOS 15.0, *) func encode(_ value: Int128) throws { try scalar(value) }
    func encode(_ value: UInt) throws { try scalar(value) }
    func encode(_ value: UInt8) throws { try scalar(value) }
    func encode(_ value: UInt16) throws { try scalar(value) }
    func encode(_ value: UInt32) throws { try scalar(value) }
    func encode(_ value: UInt64) throws { try scalar(value) }
    @available(macOS 15.0, *) func encode(_ value: UInt128) throws { try scalar(value) }
    func encode<T: Encodable>(_ value: T) throws {
        try prepareSingleValue()
        try state.encode(value)
    }
}

/// Writes the members of one object as they are encoded.
struct JSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let state: JSONWritingState
    let depth: Int
    let id: Int
    let keys: Int
    private var hint = 0

    init(state: JSONWritingState, depth: Int, id: Int, keys: Int) {
        self.state = state
        self.depth = depth
        self.id = id
        self.keys = keys
    }

    var codingPath: [any CodingKey] { state.path.map(\.codingKey) }

    private mutating func member(_ key: Key) throws(JSONError) {
        try state.beginElement(depth: depth, id: id)
        state.writeMember(key.stringValue, table: keys, hint: &hint)
    }

    private mutating func scalar<T: JSONScalar>(_ value: T, forKey key: Key) throws(JSONError) {
        try member(key)
        try state.write(value, at: .key(key))
    }

    mutating func encodeNil(forKey key: Key) throws {
        try member(key)
        state.writer.writeLiteral("null")
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws { try scalar(value, forKey: key) }
    mutating func encode(_ value: String, forKey key: Key) throws { try scalar(value, forKey: key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try scalar(value, forKey: key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try scalar(value, forKey: key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try scalar(value, forKey: key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try scalar(value, forKey: key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try scalar(value, forKey: key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try scalar(value, forKey: key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try scalar(value, forKey: key) }
    @available(macOS 15.0, *)
    mutating func encode(_ value: Int128, forKey key: Key) throws { try scalar(value, forKey: key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try scalar(value, forKey: key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try scalar(value, forKey: key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try scalar(value, forKey: key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try scalar(value, forKey: key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try scalar(value, forKey: key) }
    @available(macOS 15.0, *)
    mutating func encode(_ value: UInt128, forKey key: Key) throws { try scalar(value, forKey: key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try member(key)
        state.path.append(.key(key))
        defer { state.path.removeLast() }
        try state.encode(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let (depth, id) = (try? member(key)).map { state.open(object: true) } ?? (-1, -1)
        return KeyedEncodingContainer(
            JSONKeyedEncodingContainer<NestedKey>(
                state: state, depth: depth, id: id, keys: state.keyTable(for: keyType)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let (depth, id) = (try? member(key)).map { state.open(object: false) } ?? (-1, -1)
        return JSONUnkeyedEncodingContainer(state: state, depth: depth, id: id)
    }

    mutating func superEncoder() -> any Encoder { superEncoder(name: JSONIndexKey.superKey.stringValue) }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(name: key.stringValue) }

    private mutating func superEncoder(name: String) -> any Encoder {
        guard (try? state.beginElement(depth: depth, id: id)) != nil else {
            return JSONValueEncoder(state: state, depth: -1, mark: -1)
        }
        state.writeMember(name, table: keys, hint: &hint)
        state.expectValue()
        return JSONValueEncoder(state: state, depth: state.frames.count, mark: state.writer.bytes.count)
    }
}

/// Writes the elements of one array as they are encoded.
struct JSONUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let state: JSONWritingState
    let depth: Int
    let id: Int
    private(set) var count = 0

    init(state: JSONWritingState, depth: Int, id: Int) {
        self.state = state
        self.depth = depth
        self.id = id
    }

    var codingPath: [any CodingKey] { state.path.map(\.codingKey) }

    private mutating func element() throws(JSONError) {
        try state.beginElement(depth: depth, id: id)
        count += 1
    }

    private mutating func scalar<T: JSONScalar>(_ value: T) throws(JSONError) {
        try element()
        try state.write(value, at: .index(count - 1))
    }

    mutating func encodeNil() throws {
        try element()
        state.writer.writeLiteral("null")
    }

    mutating func encode(_ value: Bool) throws { try scalar(value) }
    mutating func encode(_ value: String) throws { try scalar(value) }
    mutating func encode(_ value: Double) throws { try scalar(value) }
    mutating func encode(_ value: Float) throws { try scalar(value) }
    mutating func encode(_ value: Int) throws { try scalar(value) }
    mutating func encode(_ value: Int8) throws { try scalar(value) }
    mutating func encode(_ value: Int16) throws { try scalar(value) }
    mutating func encode(_ value: Int32) throws { try scalar(value) }
    mutating func encode(_ value: Int64) throws { try scalar(value) }
    @available(macOS 15.0, *) mutating func encode(_ value: Int128) throws { try scalar(value) }
    mutating func encode(_ value: UInt) throws { try scalar(value) }
    mutating func encode(_ value: UInt8) throws { try scalar(value) }
    mutating func encode(_ value: UInt16) throws { try scalar(value) }
    mutating func encode(_ value: UInt32) throws { try scalar(value) }
    mutating func encode(_ value: UInt64) throws { try scalar(value) }
    @available(macOS 15.0, *) mutating func encode(_ value: UInt128) throws { try scalar(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try element()
        state.path.append(.index(count - 1))
        defer { state.path.removeLast() }
        try state.encode(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let (depth, id) = (try? element()).map { state.open(object: true) } ?? (-1, -1)
        return KeyedEncodingContainer(
            JSONKeyedEncodingContainer<NestedKey>(
                state: state, depth: depth, id: id, keys: state.keyTable(for: keyType)))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let (depth, id) = (try? element()).map { state.open(object: false) } ?? (-1, -1)
        return JSONUnkeyedEncodingContainer(state: state, depth: depth, id: id)
    }

    mutating func superEncoder() -> any Encoder {
        guard (try? element()) != nil else { return JSONValueEncoder(state: state, depth: -1, mark: -1) }
        state.expectValue()
        return JSONValueEncoder(state: state, depth: state.frames.count, mark: state.writer.bytes.count)
    }
}
