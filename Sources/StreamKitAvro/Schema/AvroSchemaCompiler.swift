/// Compiles a schema's JSON document into `AvroNode`s: resolves names and namespaces, reads logical types,
/// and encodes field defaults to Avro binary once.
struct AvroSchemaCompiler {
    private(set) var nodes: [AvroNode] = []
    private var names: [String: Int] = [:]
    private var primitives: [String: Int] = [:]
    /// Record fields whose JSON default still has to be encoded, once every named type is known.
    private var defaults: [(record: Int, field: Int, value: AvroJSONValue)] = []

    mutating func compile(_ json: AvroJSONValue, namespace: String?) throws(AvroError) -> Int {
        switch json {
        case .string(let name):
            if let node = primitive(name, logicalType: nil) { return node }
            return try reference(name, namespace: namespace)
        case .array(let branches):
            var indices: [Int] = []
            for branch in branches { indices.append(try compile(branch, namespace: namespace)) }
            return append(.union(branches: indices))
        case .object(let object):
            return try compileObject(object, namespace: namespace)
        default:
            throw AvroError(code: .invalidSchema, reason: "a type must be a name, an object or a union")
        }
    }

    private mutating func compileObject(_ object: [String: AvroJSONValue], namespace: String?) throws(AvroError) -> Int
    {
        guard let type = object["type"] else {
            throw AvroError(code: .invalidSchema, reason: "a type object needs \"type\"")
        }
        guard case .string(let typeName) = type else { return try compile(type, namespace: namespace) }
        let logical = object["logicalType"]?.string
        switch typeName {
        case "record", "error":
            let (fullName, space) = try qualifiedName(object, namespace: namespace)
            let index = append(.null)  // a placeholder, so fields can refer to the record (recursion)
            names[fullName] = index
            guard case .array(let fieldsJSON)? = object["fields"] else {
                throw AvroError(code: .invalidSchema, reason: "record \(fullName) needs a \"fields\" array")
            }
            var fields: [AvroField] = []
            var lookup: [String: Int] = [:]
            for (position, fieldJSON) in fieldsJSON.enumerated() {
                guard let name = fieldJSON["name"]?.string, let fieldType = fieldJSON["type"] else {
                    throw AvroError(code: .invalidSchema, reason: "a field of \(fullName) needs \"name\" and \"type\"")
                }
                var aliases: [String] = []
                if case .array(let list)? = fieldJSON["aliases"] { aliases = list.compactMap(\.string) }
                fields.append(
                    AvroField(
                        name: name, type: try compile(fieldType, namespace: space),
                        swiftName: AvroRecord.camelCase(name), aliases: aliases))
                if let value = fieldJSON["default"] { defaults.append((index, position, value)) }
                for key in [name, AvroRecord.camelCase(name)] + aliases where lookup[key] == nil {
                    lookup[key] = position
                }
            }
            nodes[index] = .record(AvroRecord(name: fullName, fields: fields, lookup: lookup))
            return index
        case "enum":
            let (fullName, _) = try qualifiedName(object, namespace: namespace)
            guard case .array(let list)? = object["symbols"] else {
                throw AvroError(code: .invalidSchema, reason: "enum \(fullName) needs \"symbols\"")
            }
            let symbols = list.compactMap(\.string)
            let lookup = Dictionary(symbols.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            let index = append(
                .enumeration(
                    AvroEnum(name: fullName, symbols: symbols, lookup: lookup, defaultSymbol: object["default"]?.string)
                ))
            names[fullName] = index
            return index
        case "fixed":
            let (fullName, _) = try qualifiedName(object, namespace: namespace)
            guard let size = object["size"]?.integer, size >= 0 else {
                throw AvroError(code: .invalidSchema, reason: "fixed \(fullName) needs a \"size\"")
            }
            let logicalType = logical == "decimal" ? decimal(object, fixedSize: Int(size)) : nil
            let index = append(.fixed(AvroFixed(name: fullName, size: Int(size), logicalType: logicalType)))
            names[fullName] = index
            return index
        case "array":
            guard let items = object["items"] else {
                throw AvroError(code: .invalidSchema, reason: "array needs \"items\"")
            }
            return append(.array(items: try compile(items, namespace: namespace)))
        case "map":
            guard let values = object["values"] else {
                throw AvroError(code: .invalidSchema, reason: "map needs \"values\"")
            }
            return append(.map(values: try compile(values, namespace: namespace)))
        default:
            if let logical, let node = primitive(typeName, logicalType: logicalType(logical, object)) { return node }
            if let node = primitive(typeName, logicalType: nil) { return node }
            return try reference(typeName, namespace: namespace)
        }
    }

    // MARK: - Names and primitives

    private mutating func append(_ node: AvroNode) -> Int {
        nodes.append(node)
        return nodes.count - 1
    }

    private func qualifiedName(_ object: [String: AvroJSONValue], namespace: String?) throws(AvroError) -> (
        String, String?
    ) {
        guard let name = object["name"]?.string else {
            throw AvroError(code: .invalidSchema, reason: "a named type needs \"name\"")
        }
        if let dot = name.lastIndex(of: ".") { return (name, String(name[..<dot])) }
        let space = object["namespace"]?.string ?? namespace
        guard let space, !space.isEmpty else { return (name, nil) }
        return (space + "." + name, space)
    }

    private func reference(_ name: String, namespace: String?) throws(AvroError) -> Int {
        if !name.contains("."), let namespace, let index = names[namespace + "." + name] { return index }
        guard let index = names[name] else { throw AvroError(code: .invalidSchema, reason: "unknown type \"\(name)\"") }
        return index
    }

    /// A primitive type node; plain primitives are shared, annotated ones get their own node.
    private mutating func primitive(_ name: String, logicalType: AvroLogicalType?) -> Int? {
        if logicalType == nil, let index = primitives[name] { return index }
        let node: AvroNode
        switch name {
        case "null": node = .null
        case "boolean": node = .boolean
        case "int": node = .int(logicalType == .date ? .date : nil)
        case "long": node = .long([.timestampMillis, .timestampMicros].contains(logicalType) ? logicalType : nil)
        case "float": node = .float
        case "double": node = .double
        case "bytes":
            if case .decimal? = logicalType { node = .bytes(logicalType) } else { node = .bytes(nil) }
        case "string": node = .string(logicalType == .uuid ? .uuid : nil)
        default: return nil
        }
        let index = append(node)
        if logicalType == nil { primitives[name] = index }
        return index
    }

    private func logicalType(_ name: String, _ object: [String: AvroJSONValue]) -> AvroLogicalType? {
        switch name {
        case "date": .date
        case "timestamp-millis": .timestampMillis
        case "timestamp-micros": .timestampMicros
        case "uuid": .uuid
        case "decimal": decimal(object, fixedSize: nil)
        default: nil  // unknown logical types are read as their underlying type (specification)
        }
    }

    private func decimal(_ object: [String: AvroJSONValue], fixedSize: Int?) -> AvroLogicalType? {
        guard let precision = object["precision"]?.integer, precision > 0 else { return nil }
        let scale = object["scale"]?.integer ?? 0
        guard scale >= 0, scale <= precision else { return nil }
        return .decimal(precision: Int(precision), scale: Int(scale))
    }

    // MARK: - Defaults

    /// Encodes every field default to binary with its field's type.
    mutating func encodeDefaults() throws(AvroError) {
        for (record, field, value) in defaults {
            guard case .record(var compiled) = nodes[record] else { continue }
            var bytes: [UInt8] = []
            do {
                try encodeDefault(value, node: compiled.fields[field].type, into: &bytes)
            } catch {
                throw AvroError(
                    code: .invalidSchema,
                    reason: "default of \(compiled.name).\(compiled.fields[field].name): \(error.reason)")
            }
            compiled.fields[field].defaultBytes = bytes
            nodes[record] = .record(compiled)
        }
    }

    private func encodeDefault(_ value: AvroJSONValue, node: Int, into out: inout [UInt8]) throws(AvroError) {
        func mismatch() -> AvroError {
            AvroError(code: .invalidSchema, reason: "default \(value) does not match type \(nodes[node].typeName)")
        }
        switch nodes[node] {
        case .null:
            guard value == .null else { throw mismatch() }
        case .boolean:
            guard case .bool(let flag) = value else { throw mismatch() }
            out.append(flag ? 1 : 0)
        case .int, .long:
            guard let integer = value.integer else { throw mismatch() }
            AvroBinary.writeLong(integer, into: &out)
        case .float:
            guard let number = value.double else { throw mismatch() }
            AvroBinary.writeFloat(Float(number), into: &out)
        case .double:
            guard let number = value.double else { throw mismatch() }
            AvroBinary.writeDouble(number, into: &out)
        case .string:
            guard let text = value.string else { throw mismatch() }
            AvroBinary.writeString(text, into: &out)
        case .bytes, .fixed:
            // JSON defaults for bytes and fixed are strings whose code points 0…255 are the bytes.
            guard let text = value.string else { throw mismatch() }
            var bytes: [UInt8] = []
            for scalar in text.unicodeScalars {
                guard scalar.value < 256 else { throw mismatch() }
                bytes.append(UInt8(scalar.value))
            }
            if case .fixed(let fixed) = nodes[node] {
                guard bytes.count == fixed.size else { throw mismatch() }
                out.append(contentsOf: bytes)
            } else {
                AvroBinary.writeBytes(bytes, into: &out)
            }
        case .enumeration(let enumeration):
            guard let symbol = value.string, let index = enumeration.lookup[symbol] else { throw mismatch() }
            AvroBinary.writeLong(Int64(index), into: &out)
        case .array(let items):
            guard case .array(let elements) = value else { throw mismatch() }
            if !elements.isEmpty {
                AvroBinary.writeLong(Int64(elements.count), into: &out)
                for element in elements { try encodeDefault(element, node: items, into: &out) }
            }
            out.append(0)
        case .map(let values):
            guard case .object(let members) = value else { throw mismatch() }
            if !members.isEmpty {
                AvroBinary.writeLong(Int64(members.count), into: &out)
                for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                    AvroBinary.writeString(key, into: &out)
                    try encodeDefault(member, node: values, into: &out)
                }
            }
            out.append(0)
        case .record(let record):
            guard case .object = value else { throw mismatch() }
            for field in record.fields {
                if let member = value[field.name] {
                    try encodeDefault(member, node: field.type, into: &out)
                } else if let entry = defaults.first(where: {
                    nodes[$0.record].fullName == record.name && record.fields[$0.field].name == field.name
                }) {
                    try encodeDefault(entry.value, node: field.type, into: &out)
                } else {
                    throw mismatch()
                }
            }
        case .union(let branches):
            // The specification: a union's default belongs to its first branch. Later branches are accepted
            // too (as fastavro does), written with their index.
            for (index, branch) in branches.enumerated() {
                var attempt: [UInt8] = []
                AvroBinary.writeLong(Int64(index), into: &attempt)
                if (try? encodeDefault(value, node: branch, into: &attempt)) != nil {
                    out += attempt
                    return
                }
            }
            throw mismatch()
        }
    }
}
