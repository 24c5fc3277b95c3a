/// Reads the fields of one record by key, from the block of field positions it keeps in the state.
struct AvroRecordDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let state: AvroDecodingState
    let node: Int
    let record: AvroRecord
    let block: Int
    var codingPath: [any CodingKey] { [] }

    var allKeys: [Key] {
        var keys = record.fields.compactMap { Key(stringValue: $0.swiftName) ?? Key(stringValue: $0.name) }
        for field in readerDefaults?.fields ?? [] where field.defaultBytes != nil && record.index(of: field.name) == nil
        {
            if let key = Key(stringValue: field.swiftName) ?? Key(stringValue: field.name) { keys.append(key) }
        }
        return keys
    }

    /// The reader's version of this record, whose defaults fill fields the writer did not have.
    private var readerDefaults: AvroRecord? { state.resolution?.readerRecord(forWriter: node) }

    func contains(_ key: Key) -> Bool {
        fieldIndex(key.stringValue) != nil || defaultField(key.stringValue) != nil
    }

    @inline(__always)
    private func fieldIndex(_ key: String) -> Int? {
        let next = state.slots[block + 1]
        if next < record.fields.count, record.fields[next].swiftName == key || record.fields[next].name == key {
            return next
        }
        return record.index(of: key)
    }

    private func defaultField(_ key: String) -> AvroField? {
        guard let reader = readerDefaults, let index = reader.index(of: key) else { return nil }
        return reader.fields[index].defaultBytes == nil ? nil : reader.fields[index]
    }

    /// Reads field `key` with `read`, records where the next field starts, and names the field in errors.
    @inline(__always)
    private func field<T>(_ key: Key, _ read: (AvroDecodingState, Int, Int) throws -> (T, Int)) throws -> T {
        guard let index = fieldIndex(key.stringValue) else { return try fromDefault(key, read) }
        do {
            let start = try state.fieldStart(index, record: record, block: block)
            let (value, end) = try read(state, record.fields[index].type, start)
            state.slots[block + 3 + index] = end
            state.slots[block + 1] = index + 1
            return value
        } catch {
            throw AvroReadFailure.wrapping(error, in: record.fields[index].name)
        }
    }

    /// A field the writer's schema lacks, read from the reader schema's default.
    private func fromDefault<T>(_ key: Key, _ read: (AvroDecodingState, Int, Int) throws -> (T, Int)) throws -> T {
        guard let resolution = state.resolution, let field = defaultField(key.stringValue),
            let bytes = field.defaultBytes
        else {
            var failure = AvroReadFailure(
                "missing field '\(key.stringValue)': not in the writer's schema and no default")
            failure.path.append(key.stringValue)
            throw failure
        }
        return try bytes.withUnsafeBytes { raw in
            try read(AvroDecodingState(nodes: resolution.reader.nodes, bytes: raw, resolution: nil), field.type, 0).0
        }
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let index = fieldIndex(key.stringValue) else {
            return try fromDefault(key) { defaults, node, position in (try defaults.isNil(node: node, at: position), 0)
            }
        }
        let start = try state.fieldStart(index, record: record, block: block)
        guard try state.isNil(node: record.fields[index].type, at: start) else { return false }
        state.slots[block + 3 + index] = try state.readNil(node: record.fields[index].type, at: start)
        state.slots[block + 1] = index + 1
        return true
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try field(key) { try $0.readBool(node: $1, at: $2) }
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try field(key) { try $0.readString(node: $1, at: $2) }
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try field(key) { try $0.readDouble(node: $1, at: $2) }
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try field(key) { try $0.readFloat(node: $1, at: $2) }
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        try field(key) { try $0.readInteger(type, node: $1, at: $2) }
    }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 {
        try field(key) { try $0.readInteger(type, node: $1, at: $2) }
    }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
        try field(key) { try $0.readInteger(type, node: $1, at: $2) }
    }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
        try field(key) { try $0.readInteger(type, node: $1, at: $2) }
    }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
        try field(key) { try $0.readInteger(type, node: $1, at: $2) }
    }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
        try field(key) { try $0.readInteger(type, node: $1, at: $2) }
    }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
        try field(key) { try $0.readInteger(type, node: $1, at: $2) }
    }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
        try field(key) { try $0.readInteger(type, node: $1, at: $2) }
    }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
        try field(key) { try $0.readInteger(type, node: $1, at: $2) }
    }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
        try field(key) { try $0.readInteger(type, node: $1, at: $2) }
    }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try field(key) { try $0.decode(type, node: $1, at: $2) }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let index = try requireField(key)
        return try AvroValueDecoder(
            state: state, node: record.fields[index].type,
            position: try state.fieldStart(index, record: record, block: block)
        ).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let index = try requireField(key)
        return try AvroValueDecoder(
            state: state, node: record.fields[index].type,
            position: try state.fieldStart(index, record: record, block: block)
        ).unkeyedContainer()
    }

    private func requireField(_ key: Key) throws -> Int {
        guard let index = fieldIndex(key.stringValue) else { throw AvroReadFailure("no field '\(key.stringValue)'") }
        return index
    }

    func superDecoder() throws -> any Decoder {
        AvroValueDecoder(state: state, node: node, position: state.slots[block + 2])
    }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        let index = try requireField(key)
        return AvroValueDecoder(
            state: state, node: record.fields[index].type,
            position: try state.fieldStart(index, record: record, block: block))
    }
}

extension AvroReadFailure {
    /// `error` as a read failure with `component` prepended to its field path.
    static func wrapping(_ error: any Error, in component: String) -> AvroReadFailure {
        var failure: AvroReadFailure
        switch error {
        case let error as AvroReadFailure: failure = error
        case let error as DecodingError:
            switch error {
            case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
                failure = AvroReadFailure(context.debugDescription)
            case .keyNotFound(let key, _):
                failure = AvroReadFailure("missing field '\(key.stringValue)'")
            @unknown default:
                failure = AvroReadFailure("\(error)")
            }
        default: failure = AvroReadFailure("\(error)")
        }
        failure.path.append(component)
        return failure
    }
}
