/// One value of a scanned document on the reader's tape.
///
/// The tape is the only structure the scanner builds: a flat array of these, in document order, with an object's
/// key and value as consecutive tokens. Containers know where they end, so a reader can step over a member's
/// value without looking at its bytes again.
struct JSONToken {
    enum Kind: UInt8 { case object, array, string, number, `true`, `false`, null }

    var kind: Kind
    /// Strings: the literal holds a `\` escape. Numbers: the literal has a fraction or an exponent.
    var flag: Bool
    /// Byte offset of the token's first byte (the quote of a string, the bracket of a container).
    var start: Int32
    /// Scalars: the byte offset just past the token. Containers: the number of members or elements.
    var end: Int32
    /// The tape index just past this token and everything inside it.
    var next: Int32
    /// Objects: the tape index of the member key a lookup tries first (keys are usually read in order).
    var hint: Int32
    /// Objects: the index in the decoded type's ``JSONKeyTable`` of the key a lookup expects next.
    var keyHint: Int32

    var count: Int { Int(end) }
}

extension JSONToken {
    /// A string, number, `true`, `false` or `null` token from `start` to `end`, as the streaming path reads it
    /// without a tape.
    init(literal kind: Kind, flag: Bool, start: Int, end: Int) {
        self.init(
            kind: kind, flag: flag, start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end),
            next: 0, hint: 0, keyHint: 0)
    }
}

/// One element of a coding path, kept while decoding so errors can name where they happened.
enum JSONPathComponent {
    case key(any CodingKey)
    case name(String)
    case index(Int)

    var codingKey: any CodingKey {
        switch self {
        case .key(let key): key
        case .name(let name): JSONIndexKey(stringValue: name)
        case .index(let index): JSONIndexKey(intValue: index)
        }
    }

    /// Renders `path` as `items[2].price`.
    static func render(_ path: some Sequence<JSONPathComponent>) -> String {
        var text = ""
        for component in path {
            switch component {
            case .index(let index): text += "[\(index)]"
            case .key(let key): text += text.isEmpty ? key.stringValue : "." + key.stringValue
            case .name(let name): text += text.isEmpty ? name : "." + name
            }
        }
        return text
    }
}

/// The coding key of an array element, a dictionary entry or `super`.
struct JSONIndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = "Index \(intValue)"
        self.intValue = intValue
    }

    static let superKey = JSONIndexKey(stringValue: "super")
}
