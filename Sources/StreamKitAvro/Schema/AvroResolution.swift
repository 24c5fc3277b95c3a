/// How data written with one schema is read with another (Avro's "schema resolution"): records are matched
/// by name through the type tree, fields by name or alias. Fields only the writer has are skipped; fields
/// only the reader has are filled from the reader's defaults; numbers promote (`int` → `long` → `double`)
/// and `string` ⇄ `bytes` as the specification allows.
struct AvroResolution: Sendable {
    let reader: AvroSchema
    /// For each writer record node, the reader record it is read as.
    private let readerRecords: [Int: Int]

    init(writer: AvroSchema, reader: AvroSchema) throws(AvroError) {
        self.reader = reader
        var matches: [Int: Int] = [:]
        var visited = Set<[Int]>()
        func match(_ writerNode: Int, _ readerNode: Int, path: String) throws(AvroError) {
            guard visited.insert([writerNode, readerNode]).inserted else { return }
            switch (writer.nodes[writerNode], reader.nodes[readerNode]) {
            case (.record(let w), .record(let r)):
                matches[writerNode] = readerNode
                for readerField in r.fields {
                    let writerIndex =
                        w.index(of: readerField.name)
                        ?? readerField.aliases.lazy.compactMap { w.lookup[$0] }.first
                    if let writerIndex {
                        try match(w.fields[writerIndex].type, readerField.type, path: path + "." + readerField.name)
                    } else if readerField.defaultBytes == nil {
                        throw AvroError(
                            code: .incompatibleSchemas,
                            reason:
                                "reader field '\(readerField.name)' of \(r.name) has no default and the writer's schema lacks it",
                            field: String((path + "." + readerField.name).dropFirst()))
                    }
                }
            case (.array(let w), .array(let r)), (.map(let w), .map(let r)):
                try match(w, r, path: path + "[]")
            case (.union(let ws), _):
                for w in ws { try? match(w, readerNode, path: path) }
            case (_, .union(let rs)):
                for r in rs { try? match(writerNode, r, path: path) }
            default:
                break
            }
        }
        try match(writer.root, reader.root, path: "")
        readerRecords = matches
    }

    func readerRecord(forWriter node: Int) -> AvroRecord? {
        guard let index = readerRecords[node], case .record(let record) = reader.nodes[index] else { return nil }
        return record
    }
}
