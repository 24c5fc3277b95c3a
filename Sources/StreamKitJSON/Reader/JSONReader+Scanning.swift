/// The tape path's single pass: builds the tape of one document and rejects anything RFC 8259 does not allow.
///
/// The streaming path uses the same pass to step over members nobody asks for (``skipValue(at:)``) and to read
/// one literal where it lies (``scanLiteral(at:)``).
extension JSONReader {
    @inline(__always)
    func skipWhitespace(_ pos: inout Int) {
        while pos < length {
            let byte = base[pos]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            pos += 1
        }
    }

    private func openContainer(_ kind: JSONToken.Kind, at pos: Int) throws(JSONError) {
        guard open.count < limits.maxDepth else {
            throw scanError(.limitExceeded, at: pos, "nesting deeper than maxDepth (\(limits.maxDepth))")
        }
        open.append((append(kind, flag: false, start: pos, end: 0), -1))
    }

    /// Reads a member key and its `:`; leaves `pos` at the member's value.
    @inline(__always)
    private func scanKey(_ pos: inout Int) throws(JSONError) {
        guard pos < length, base[pos] == UInt8(ascii: "\"") else {
            throw scanError(.syntax, at: pos, "expected a member name in quotes, found \(describeByte(at: pos))")
        }
        let (end, hasEscapes) = try scanString(at: pos)
        open[open.count - 1].key = append(.string, flag: hasEscapes, start: pos, end: end)
        pos = end
        skipWhitespace(&pos)
        guard pos < length, base[pos] == UInt8(ascii: ":") else {
            throw scanError(.syntax, at: pos, "expected ':' after a member name, found \(describeByte(at: pos))")
        }
        pos += 1
        skipWhitespace(&pos)
    }

    /// The single pass over the document: builds the tape and rejects anything RFC 8259 does not allow.
    func scanDocument() throws(JSONError) {
        var pos = 0
        skipWhitespace(&pos)
        guard pos < length else { throw scanError(.syntax, at: pos, "the document is empty") }
        pos = try scanValue(at: pos)
        skipWhitespace(&pos)
        guard pos == length else {
            throw scanError(.syntax, at: pos, "trailing \(describeByte(at: pos)) after the top-level value")
        }
    }

    /// Scans the value that starts at `start` (not whitespace) onto the tape, rejecting anything RFC 8259 does
    /// not allow, and returns the offset just past it.
    func scanValue(at start: Int) throws(JSONError) -> Int {
        var pos = start
        open.removeAll(keepingCapacity: true)
        scanning: while true {
            // A value starts at `pos`.
            let byte = base[pos]
            switch byte {
            case UInt8(ascii: "{"):
                try openContainer(.object, at: pos)
                pos += 1
                skipWhitespace(&pos)
                if pos < length, base[pos] == UInt8(ascii: "}") { break }
                try scanKey(&pos)
                guard pos < length else { throw scanError(.syntax, at: pos, "expected a value, found the end") }
                continue scanning
            case UInt8(ascii: "["):
                try openContainer(.array, at: pos)
                pos += 1
                skipWhitespace(&pos)
                if pos < length, base[pos] == UInt8(ascii: "]") { break }
                guard pos < length else { throw scanError(.syntax, at: pos, "expected a value, found the end") }
                continue scanning
            case UInt8(ascii: "\""):
                let (end, hasEscapes) = try scanString(at: pos)
                _ = append(.string, flag: hasEscapes, start: pos, end: end)
                pos = end
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (end, isFractional) = try scanNumber(at: pos)
                _ = append(.number, flag: isFractional, start: pos, end: end)
                pos = end
            case UInt8(ascii: "t"): pos = try scanLiteral("true", .true, at: pos)
            case UInt8(ascii: "f"): pos = try scanLiteral("false", .false, at: pos)
            case UInt8(ascii: "n"): pos = try scanLiteral("null", .null, at: pos)
            case UInt8(ascii: "N"), UInt8(ascii: "I"):
                throw scanError(.invalidNumber, at: pos, "NaN and Infinity are not JSON numbers")
            default:
                throw scanError(.syntax, at: pos, "expected a value, found \(describeByte(at: pos))")
            }
            // A value ended just before `pos`, or an empty container's closing bracket is at `pos`.
            while true {
                guard let top = open.last else { break scanning }
                let container = Int(top.token)
                let isObject = tape[container].kind == .object
                let closer = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if pos < length, base[pos] == closer, tapeCount == container + 1 {
                    // Empty container: nothing was appended after it.
                } else {
                    tape[container].end += 1
                    skipWhitespace(&pos)
                    if pos < length, base[pos] == UInt8(ascii: ",") {
                        pos += 1
                        skipWhitespace(&pos)
                        if isObject { try scanKey(&pos) }
                        guard pos < length else {
                            throw scanError(.syntax, at: pos, "expected a value, found the end")
                        }
                        continue scanning
                    }
                    guard pos < length, base[pos] == closer else {
                        let what = isObject ? "'}' after an object member" : "']' after an array element"
                        throw scanError(.syntax, at: pos, "expected ',' or \(what), found \(describeByte(at: pos))")
                    }
                }
                tape[container].next = Int32(truncatingIfNeeded: tapeCount)
                open.removeLast()
                pos += 1
            }
        }
        return pos
    }

    /// Scans the literal (string, number, `true`, `false` or `null`) that starts at `pos` without adding it
    /// to the tape, and returns its token.
    func scanLiteral(at pos: Int) throws(JSONError) -> JSONToken {
        guard pos < length else { throw scanError(.syntax, at: pos, "expected a value, found the end") }
        let kind: JSONToken.Kind
        let end: Int
        var flag = false
        switch base[pos] {
        case UInt8(ascii: "\""):
            kind = .string
            (end, flag) = try scanString(at: pos)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            kind = .number
            (end, flag) = try scanNumber(at: pos)
        case UInt8(ascii: "t"):
            kind = .true
            end = try matchLiteral("true", at: pos)
        case UInt8(ascii: "f"):
            kind = .false
            end = try matchLiteral("false", at: pos)
        case UInt8(ascii: "n"):
            kind = .null
            end = try matchLiteral("null", at: pos)
        default:
            throw scanError(.syntax, at: pos, "expected a literal, found \(describeByte(at: pos))")
        }
        return JSONToken(literal: kind, flag: flag, start: pos, end: end)
    }

    /// Validates the value that starts at `start` without keeping it, and returns the offset just past it.
    ///
    /// The streaming path steps over members nobody asks for this way; it needs no tape, so the scan may reuse it.
    func skipValue(at start: Int) throws(JSONError) -> Int {
        tapeCount = 0
        return try scanValue(at: start)
    }

    /// Scans the value that starts at `start` onto the tape from index 0, for a question the streaming path
    /// cannot answer from where it stands (`allKeys`, `count`); `false` when the value is not valid JSON.
    func scanOntoTape(at start: Int) -> Bool {
        (try? skipValue(at: start)) != nil
    }

    /// Whether the bytes at `pos` are the literal `null`.
    func isNull(at pos: Int) -> Bool {
        length - pos >= 4 && memcmpEqual(base + pos, ("null" as StaticString).utf8Start, 4)
    }

    private func scanLiteral(_ literal: StaticString, _ kind: JSONToken.Kind, at pos: Int) throws(JSONError) -> Int {
        let end = try matchLiteral(literal, at: pos)
        _ = append(kind, flag: false, start: pos, end: end)
        return end
    }

    /// The offset past `literal`, which must be at `pos`.
    private func matchLiteral(_ literal: StaticString, at pos: Int) throws(JSONError) -> Int {
        let count = literal.utf8CodeUnitCount
        guard length - pos >= count, memcmpEqual(base + pos, literal.utf8Start, count) else {
            throw scanError(.syntax, at: pos, "expected a value, found \(describeByte(at: pos))")
        }
        return pos + count
    }
}
