/// Reads one document, by the streaming path or from a tape of ``JSONToken``s, and answers the decoder's
/// questions about it.
///
/// The streaming path (``decodeStreaming(_:)``) reads values where they lie while `init(from:)` asks for them in
/// the order the document has them, the common case. Anything else, including every error, sends the call to
/// the tape path: one pass validates the whole document and records where each value lies, then `init(from:)`
/// reads them in any order, and errors come out exactly as that pass and the containers word them.
///
/// One reader serves one decode call at a time; ``StreamJSONDecoder`` keeps a small pool of them so the tape,
/// the scratch buffer and the path stack are allocated once and reused for every record. The payload itself is
/// never copied: `base` points into the caller's buffer for the duration of the call.
///
/// `@unchecked Sendable` because the pool moves readers between threads: a reader is used by one decode call
/// at a time, which takes it from the pool and gives it back only when it has finished with it.
final class JSONReader: JSONPoolable, @unchecked Sendable {
    let keyMapping: JSONKeyMapping
    let limits: JSONLimits

    /// The mutable state, behind a pointer the reader owns.
    ///
    /// Stored `var`s of a class pay for a dynamic exclusivity check on every access, which on the per-byte and
    /// per-member paths costs more than the work itself. The reader is used by one thread at a time and never
    /// hands out an access that overlaps another, so it keeps its state where no such check applies.
    private struct State {
        var base: UnsafePointer<UInt8> = UnsafePointer(bitPattern: 1)!
        var length = 0
        var tape: UnsafeMutablePointer<JSONToken>
        var tapeCapacity: Int
        var tapeCount = 0
        /// Open containers while scanning: their tape index and, for objects, the tape index of the current key.
        var open: [(token: Int32, key: Int32)] = []
        /// Unescaped strings are assembled here.
        var scratch: [UInt8] = []
        /// How the types met so far are read; see ``JSONTypeCache``.
        var typeCache = JSONTypeCache(decoding: true)
        /// The coding path of the value being decoded; pushed and popped around nested values.
        var path: [JSONPathComponent] = []
        /// The wire names of the coding keys met so far, kept across records.
        var memberNames: [ObjectIdentifier: JSONMemberNames] = [:]
        /// Records of one type usually come in a row: skip hashing for the key type met last.
        var lastMemberNames: (type: ObjectIdentifier, names: JSONMemberNames)?
        /// The streaming path's values being decoded, outermost first.
        var frames: UnsafeMutablePointer<JSONStreamFrame>
        var frameCapacity: Int
        var frameCount = 0
        /// The keyed containers handed out on the streaming path, by frame index, for reuse; see
        /// ``streamingContainer(keyedBy:frame:)``.
        var keyedContainers: [JSONKeyedContainerSlot] = []
        /// Set by every error made while decoding: a streaming result is then discarded, even if `init(from:)`
        /// caught the error, and the tape path decodes the document again.
        var hasFailed = false
    }

    private let state: UnsafeMutablePointer<State>

    var base: UnsafePointer<UInt8> { state.pointee.base }
    var length: Int { state.pointee.length }
    var tape: UnsafeMutablePointer<JSONToken> { state.pointee.tape }
    private var tapeCapacity: Int {
        get { state.pointee.tapeCapacity }
        set { state.pointee.tapeCapacity = newValue }
    }
    private var tapeCount: Int {
        get { state.pointee.tapeCount }
        set { state.pointee.tapeCount = newValue }
    }
    private var open: [(token: Int32, key: Int32)] {
        _read { yield state.pointee.open }
        _modify { yield &state.pointee.open }
    }
    var scratch: [UInt8] {
        _read { yield state.pointee.scratch }
        _modify { yield &state.pointee.scratch }
    }
    var typeCache: JSONTypeCache {
        _read { yield state.pointee.typeCache }
        _modify { yield &state.pointee.typeCache }
    }
    var path: [JSONPathComponent] {
        _read { yield state.pointee.path }
        _modify { yield &state.pointee.path }
    }
    var frames: UnsafeMutablePointer<JSONStreamFrame> { state.pointee.frames }
    var frameCount: Int {
        get { state.pointee.frameCount }
        set { state.pointee.frameCount = newValue }
    }
    private var keyedContainers: [JSONKeyedContainerSlot] {
        _read { yield state.pointee.keyedContainers }
        _modify { yield &state.pointee.keyedContainers }
    }
    var hasFailed: Bool {
        get { state.pointee.hasFailed }
        set { state.pointee.hasFailed = newValue }
    }

    private static let initialTapeCapacity = 64
    private static let initialFrameCapacity = 8
    /// A tape grown past this for one huge document is released rather than kept in the pool.
    private static let retainedTapeCapacity = 1 << 16

    init(keyMapping: JSONKeyMapping, limits: JSONLimits) {
        self.keyMapping = keyMapping
        self.limits = limits
        state = .allocate(capacity: 1)
        state.initialize(
            to: State(
                tape: .allocate(capacity: Self.initialTapeCapacity), tapeCapacity: Self.initialTapeCapacity,
                frames: .allocate(capacity: Self.initialFrameCapacity), frameCapacity: Self.initialFrameCapacity))
        scratch.reserveCapacity(64)
        path.reserveCapacity(8)
        open.reserveCapacity(8)
    }

    deinit {
        state.pointee.tape.deallocate()
        state.pointee.frames.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    // MARK: - Lifecycle

    /// Points the reader at `bytes`, which must be within ``JSONLimits/maxDocumentBytes``.
    func attach(_ bytes: UnsafeRawBufferPointer) throws(JSONError) {
        guard bytes.count <= limits.maxDocumentBytes else {
            throw JSONError(
                kind: .limitExceeded, byteOffset: 0, codingPath: "",
                reason: "document is \(bytes.count) bytes, more than maxDocumentBytes (\(limits.maxDocumentBytes))")
        }
        state.pointee.length = bytes.count
        state.pointee.base =
            bytes.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? UnsafePointer(bitPattern: 1)!
    }

    /// Scans the attached document onto the tape, validating all of it, for the tape path.
    func scan() throws(JSONError) {
        tapeCount = 0
        path.removeAll(keepingCapacity: true)
        try scanDocument()
    }

    /// Makes room for one more streaming frame and returns its index; `-1` beyond ``JSONLimits/maxDepth``.
    func pushFrame(at start: Int) -> Int {
        let index = frameCount
        guard index < limits.maxDepth else { return -1 }
        if index == state.pointee.frameCapacity {
            let capacity = index * 2
            let grown = UnsafeMutablePointer<JSONStreamFrame>.allocate(capacity: capacity)
            grown.moveInitialize(from: frames, count: index)
            frames.deallocate()
            state.pointee.frames = grown
            state.pointee.frameCapacity = capacity
        }
        (frames + index).initialize(to: JSONStreamFrame(start: start))
        frameCount = index + 1
        return index
    }

    /// Forgets the payload (it belongs to the caller) and trims buffers a huge document grew.
    func reset() {
        state.pointee.base = UnsafePointer(bitPattern: 1)!
        state.pointee.length = 0
        if tapeCapacity > Self.retainedTapeCapacity {
            tape.deallocate()
            tapeCapacity = Self.initialTapeCapacity
            state.pointee.tape = .allocate(capacity: tapeCapacity)
        }
        if scratch.capacity > Self.retainedTapeCapacity { scratch = [] }
        frameCount = 0
        open.removeAll(keepingCapacity: open.capacity <= 1024)
    }

    // MARK: - Keyed containers

    /// A keyed container for the object in `frame` on the streaming path.
    ///
    /// Making a `KeyedDecodingContainer` allocates its box and looks up the box's generic metadata, which costs
    /// more than reading a small record, so the container made for a key type at a frame index is kept and handed
    /// out again. It stays correct: it holds nothing but the reader, the frame index and the key type's names,
    /// and a frame index is in use by one value at a time, whose decode has returned before the index is reused.
    func streamingContainer<Key: CodingKey>(keyedBy type: Key.Type, frame: Int) -> KeyedDecodingContainer<Key> {
        let id = ObjectIdentifier(type)
        if frame < keyedContainers.count, keyedContainers[frame].keyType == id {
            return unsafeDowncast(keyedContainers[frame], to: JSONKeyedContainerHolder<Key>.self).container
        }
        let container = KeyedDecodingContainer(JSONStreamingKeyedContainer<Key>(reader: self, frame: frame))
        while keyedContainers.count <= frame { keyedContainers.append(JSONKeyedContainerSlot()) }
        keyedContainers[frame] = JSONKeyedContainerHolder(container)
        return container
    }

    // MARK: - Member names

    /// The wire names of `Key`, worked out on first use and kept with this reader.
    func memberNames<Key: CodingKey>(for type: Key.Type) -> JSONMemberNames {
        let id = ObjectIdentifier(type)
        if let last = state.pointee.lastMemberNames, last.type == id { return last.names }
        let names = state.pointee.memberNames[id] ?? JSONMemberNames(keyMapping: keyMapping)
        state.pointee.memberNames[id] = names
        state.pointee.lastMemberNames = (id, names)
        return names
    }

    /// Whether the member name at `keyIndex` is, byte for byte, the wire name of `name` in `names`; `object`'s
    /// key hint then points at the name after `name`.
    ///
    /// `false` says nothing about whether the member matches by the key mapping: the caller then compares
    /// the slow way. `true` is final.
    @inline(__always)
    func memberHasWireName(at keyIndex: Int, of name: String, in names: JSONMemberNames, object: Int) -> Bool {
        let index = names.index(of: name, hint: Int(tape[object].keyHint))
        tape[object].keyHint = Int32(truncatingIfNeeded: index &+ 1)
        let token = tape[keyIndex]
        return !token.flag && names.isWireName(index, base + Int(token.start), count: Int(token.end &- token.start))
    }

    // MARK: - Errors

    /// An error about a value that was read: a type mismatch, a number out of range, a missing key.
    ///
    /// On the streaming path such an error leaves the reader where it was, so `init(from:)` may catch it and try
    /// something else, as it could on the tape path; errors about the document itself (`scanError`) or about
    /// what the streaming path cannot do (`giveUp(at:)`) set `hasFailed` instead.
    func error(_ kind: JSONError.Kind, at offset: Int, _ reason: String) -> JSONError {
        JSONError(kind: kind, byteOffset: offset, codingPath: JSONPathComponent.render(path), reason: reason)
    }

    /// An error found while scanning: the path comes from the containers open at that moment.
    private func scanError(_ kind: JSONError.Kind, at offset: Int, _ reason: String) -> JSONError {
        hasFailed = true
        var components: [JSONPathComponent] = []
        for entry in open {
            let token = tape[Int(entry.token)]
            if token.kind == .array {
                components.append(.index(token.count))
            } else if entry.key >= 0 {
                components.append(.name(string(at: Int(entry.key))))
            }
        }
        return JSONError(
            kind: kind, byteOffset: offset, codingPath: JSONPathComponent.render(components), reason: reason)
    }

    func describeByte(at offset: Int) -> String {
        guard offset < length else { return "the end of the document" }
        let byte = base[offset]
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    // MARK: - Scanning

    @inline(__always)
    func skipWhitespace(_ pos: inout Int) {
        while pos < length {
            let byte = base[pos]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            pos += 1
        }
    }

    @inline(__always)
    private func append(_ kind: JSONToken.Kind, flag: Bool, start: Int, end: Int) -> Int32 {
        if tapeCount == tapeCapacity { growTape() }
        let index = Int32(truncatingIfNeeded: tapeCount)
        tape[tapeCount] = JSONToken(
            kind: kind, flag: flag, start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end),
            next: index &+ 1, hint: index &+ 1, keyHint: 0)
        tapeCount += 1
        return index
    }

    private func growTape() {
        let capacity = tapeCapacity * 2
        let grown = UnsafeMutablePointer<JSONToken>.allocate(capacity: capacity)
        grown.moveInitialize(from: tape, count: tapeCount)
        tape.deallocate()
        state.pointee.tape = grown
        tapeCapacity = capacity
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
    private func scanDocument() throws(JSONError) {
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

    /// Validates the number literal at `pos` against the RFC 8259 grammar.
    /// Returns its end and whether it has a fraction or an exponent.
    func scanNumber(at start: Int) throws(JSONError) -> (end: Int, isFractional: Bool) {
        var pos = start
        if base[pos] == UInt8(ascii: "-") { pos += 1 }
        guard pos < length, isDigit(base[pos]) else {
            if pos < length, base[pos] == UInt8(ascii: "I") {
                throw scanError(.invalidNumber, at: start, "NaN and Infinity are not JSON numbers")
            }
            throw scanError(.invalidNumber, at: start, "'-' must be followed by a digit")
        }
        if base[pos] == UInt8(ascii: "0") {
            pos += 1
            if pos < length, isDigit(base[pos]) {
                throw scanError(.invalidNumber, at: start, "numbers must not have leading zeros")
            }
        } else {
            while pos < length, isDigit(base[pos]) { pos += 1 }
        }
        var isFractional = false
        if pos < length, base[pos] == UInt8(ascii: ".") {
            pos += 1
            guard pos < length, isDigit(base[pos]) else {
                throw scanError(.invalidNumber, at: start, "'.' must be followed by a digit")
            }
            while pos < length, isDigit(base[pos]) { pos += 1 }
            isFractional = true
        }
        if pos < length, base[pos] | 0x20 == UInt8(ascii: "e") {
            pos += 1
            if pos < length, base[pos] == UInt8(ascii: "+") || base[pos] == UInt8(ascii: "-") { pos += 1 }
            guard pos < length, isDigit(base[pos]) else {
                throw scanError(.invalidNumber, at: start, "an exponent must have digits")
            }
            while pos < length, isDigit(base[pos]) { pos += 1 }
            isFractional = true
        }
        return (pos, isFractional)
    }

    /// Validates the string literal whose opening quote is at `start`: escapes, surrogate pairs, UTF-8 and
    /// unescaped control characters. Returns the offset past the closing quote and whether it has escapes.
    func scanString(at start: Int) throws(JSONError) -> (end: Int, hasEscapes: Bool) {
        var pos = start + 1
        var hasEscapes = false
        while true {
            pos = skipPlainASCII(from: pos)
            guard pos < length else { throw scanError(.syntax, at: start, "unterminated string") }
            let byte = base[pos]
            if byte == UInt8(ascii: "\"") { return (pos + 1, hasEscapes) }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                pos = try validateEscape(at: pos)
            } else if byte < 0x20 {
                throw scanError(.syntax, at: pos, "control character \(describeByte(at: pos)) must be escaped")
            } else {
                pos = try validateUTF8Sequence(at: pos)
            }
        }
    }

    /// Steps over bytes that need no attention in a string: ASCII other than `"`, `\` and controls.
    @inline(__always)
    private func skipPlainASCII(from start: Int) -> Int {
        var pos = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while pos + 8 <= length {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self))
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let special =
                ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
                | word
            let flagged = special & highs
            // Borrows only flag bytes above a real match, so the lowest flag is the first special byte.
            if flagged != 0 { return pos + flagged.trailingZeroBitCount / 8 }
            pos += 8
        }
        while pos < length {
            let byte = base[pos]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
            pos += 1
        }
        return pos
    }

    private func validateEscape(at pos: Int) throws(JSONError) -> Int {
        guard pos + 1 < length else { throw scanError(.syntax, at: pos, "unterminated string") }
        switch base[pos + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return pos + 2
        case UInt8(ascii: "u"):
            let unit = try hexEscape(at: pos)
            if unit & 0xFC00 == 0xDC00 {
                throw scanError(.invalidEscape, at: pos, "lone low surrogate \\u\(String(unit, radix: 16))")
            }
            guard unit & 0xFC00 == 0xD800 else { return pos + 6 }
            guard pos + 7 < length, base[pos + 6] == UInt8(ascii: "\\"), base[pos + 7] == UInt8(ascii: "u"),
                try hexEscape(at: pos + 6) & 0xFC00 == 0xDC00
            else {
                throw scanError(
                    .invalidEscape, at: pos, "high surrogate \\u\(String(unit, radix: 16)) without a low surrogate")
            }
            return pos + 12
        default:
            throw scanError(.invalidEscape, at: pos, "unknown escape '\\' followed by \(describeByte(at: pos + 1))")
        }
    }

    /// The UTF-16 unit of the `\uXXXX` escape whose backslash is at `pos`.
    func hexEscape(at pos: Int) throws(JSONError) -> UInt16 {
        guard pos + 6 <= length else {
            hasFailed = true
            throw error(.invalidEscape, at: pos, "truncated \\u escape")
        }
        var unit: UInt16 = 0
        for i in (pos + 2)..<(pos + 6) {
            let byte = base[i]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte &- UInt8(ascii: "A") &+ 10
            default:
                hasFailed = true
                throw error(.invalidEscape, at: pos, "\\u must be followed by four hex digits")
            }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    /// Validates one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
    private func validateUTF8Sequence(at pos: Int) throws(JSONError) -> Int {
        let lead = base[pos]
        let count: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: count = 2
        case 0xE0:
            count = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: count = 3
        case 0xED:
            count = 3
            high = 0x9F
        case 0xF0:
            count = 4
            low = 0x90
        case 0xF1...0xF3: count = 4
        case 0xF4:
            count = 4
            high = 0x8F
        default: throw scanError(.invalidUTF8, at: pos, "invalid UTF-8 lead \(describeByte(at: pos))")
        }
        guard pos + count <= length else { throw scanError(.invalidUTF8, at: pos, "truncated UTF-8 sequence") }
        for i in 1..<count {
            let byte = base[pos + i]
            let (lo, hi) = i == 1 ? (low, high) : (0x80, 0xBF)
            guard byte >= lo && byte <= hi else {
                throw scanError(.invalidUTF8, at: pos + i, "invalid UTF-8 continuation \(describeByte(at: pos + i))")
            }
        }
        return pos + count
    }
}

@inline(__always)
func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

/// Whether `count` bytes at `lhs` and `rhs` are equal; eight at a time, the last eight or four overlapping the
/// ones before, since member names are short.
@inline(__always)
func memcmpEqual(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    func load<T: FixedWidthInteger>(_ pointer: UnsafePointer<UInt8>, _ offset: Int, as type: T.Type) -> T {
        UnsafeRawPointer(pointer + offset).loadUnaligned(as: T.self)
    }
    guard count >= 8 else {
        if count >= 4 {
            return load(lhs, 0, as: UInt32.self) == load(rhs, 0, as: UInt32.self)
                && load(lhs, count &- 4, as: UInt32.self) == load(rhs, count &- 4, as: UInt32.self)
        }
        var i = 0
        while i < count {
            if lhs[i] != rhs[i] { return false }
            i &+= 1
        }
        return true
    }
    var i = 0
    while i &+ 8 < count {
        guard load(lhs, i, as: UInt64.self) == load(rhs, i, as: UInt64.self) else { return false }
        i &+= 8
    }
    return load(lhs, count &- 8, as: UInt64.self) == load(rhs, count &- 8, as: UInt64.self)
}
