import StreamKitTestSupport

/// Rewrites a valid JSON document without changing what it means: object members in another order, unknown
/// members added, whitespace between tokens. Literals are copied byte for byte, so numbers and escapes are
/// untouched.
///
/// A deliberately naive recursive-descent reader, independent of the decoder under test; it trusts its input,
/// which comes from Foundation's `JSONEncoder`.
struct JSONRewriter {
    private let bytes: [UInt8]
    private var pos = 0
    private var rng: SplitMix64
    private var output: [UInt8] = []
    private var addsUnknownMembers = false

    /// `document` rewritten with choices drawn from `seed`; unknown members only if `addsUnknownMembers`.
    static func rewrite(_ document: [UInt8], seed: UInt64, addsUnknownMembers: Bool) -> [UInt8] {
        var rewriter = JSONRewriter(bytes: document, rng: SplitMix64(state: seed))
        rewriter.addsUnknownMembers = addsUnknownMembers
        rewriter.space()
        rewriter.value()
        rewriter.space()
        return rewriter.output
    }

    private init(bytes: [UInt8], rng: SplitMix64) {
        self.bytes = bytes
        self.rng = rng
    }

    /// Members that no `CodingKeys` here has, with values of every kind.
    private static let extras = [
        #""zz_unknown":{"deep":[1,{"x":null}],"s":"\"}\""}"#, #""zz_list":[true,false,-1.5e3]"#, #""zz_text":"a,b}""#,
    ]

    private mutating func space() {
        let choices = ["", " ", "\n\t", "\r\n  "]
        output += Array(choices.randomElement(using: &rng)!.utf8)
    }

    private mutating func skipSpace() {
        while pos < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[pos]) { pos += 1 }
    }

    /// The bytes of the literal (string, number, `true`, `false`, `null`) at `pos`, moving past it.
    private mutating func literal() -> ArraySlice<UInt8> {
        let start = pos
        if bytes[pos] == UInt8(ascii: "\"") {
            pos += 1
            while bytes[pos] != UInt8(ascii: "\"") { pos += bytes[pos] == UInt8(ascii: "\\") ? 2 : 1 }
            pos += 1
        } else {
            let ends: Set<UInt8> = [0x2C, 0x5D, 0x7D, 0x20, 0x0A, 0x0D, 0x09]
            while pos < bytes.count, !ends.contains(bytes[pos]) { pos += 1 }
        }
        return bytes[start..<pos]
    }

    /// Copies the value at `pos` to the output, rewritten, and moves past it.
    private mutating func value() {
        skipSpace()
        switch bytes[pos] {
        case UInt8(ascii: "{"):
            pos += 1
            var members: [[UInt8]] = []
            skipSpace()
            while bytes[pos] != UInt8(ascii: "}") {
                let name = literal()
                skipSpace()
                pos += 1  // ':'
                var member = JSONRewriter(bytes: bytes, rng: rng)
                member.pos = pos
                member.addsUnknownMembers = addsUnknownMembers
                member.value()
                rng = member.rng
                pos = member.pos
                members.append(Array(name) + Array(":".utf8) + member.output)
                skipSpace()
                if bytes[pos] == UInt8(ascii: ",") { pos += 1 }
                skipSpace()
            }
            pos += 1
            if Bool.random(using: &rng) { members.shuffle(using: &rng) }
            if addsUnknownMembers, Int.random(in: 0..<4, using: &rng) == 0 {
                let extra = Array(Self.extras.randomElement(using: &rng)!.utf8)
                members.insert(extra, at: Int.random(in: 0...members.count, using: &rng))
            }
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                space()
                output += member
                space()
            }
            output.append(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            pos += 1
            output.append(UInt8(ascii: "["))
            skipSpace()
            var isFirst = true
            while bytes[pos] != UInt8(ascii: "]") {
                if !isFirst { output.append(UInt8(ascii: ",")) }
                isFirst = false
                space()
                value()
                space()
                skipSpace()
                if bytes[pos] == UInt8(ascii: ",") { pos += 1 }
                skipSpace()
            }
            pos += 1
            output.append(UInt8(ascii: "]"))
        default:
            output += literal()
        }
    }
}
