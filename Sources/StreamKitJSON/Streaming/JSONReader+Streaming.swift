/// The streaming path: values are read where they lie, in the order `init(from:)` asks for them.
///
/// It never reports an error of its own. Whatever it cannot do (a member asked for out of order or missing,
/// nested containers, `superDecoder`) and whatever is wrong with the document make it give up, and the tape path
/// decodes the document from the start, so errors and out-of-order reads behave exactly as they always did.
/// Since `init(from:)` may then run twice, its side effects may happen twice on such documents.
extension JSONReader {
    /// Decodes a `T` from the attached document by the streaming path, or returns `nil` when the tape path must.
    func decodeStreaming<T: Decodable>(_ type: T.Type) -> T? {
        frameCount = 0
        hasFailed = false
        path.removeAll(keepingCapacity: true)
        var pos = 0
        skipWhitespace(&pos)
        guard pos < length else { return nil }
        do {
            var end = 0
            let value = try streamDecode(type, at: pos, end: &end)
            skipWhitespace(&end)
            return end == length && !hasFailed ? value : nil
        } catch {
            return nil
        }
    }

    /// Decodes a `T` from the value at `pos` and sets `end` just past that value.
    func streamDecode<T: Decodable>(_ type: T.Type, at pos: Int, end: inout Int) throws -> T {
        let special = typeCache.special(for: type)
        switch special {
        case .none:
            let frame = pushFrame(at: pos)
            guard frame >= 0 else { throw giveUp(at: pos) }
            defer { frameCount = frame }
            let value = try T(from: JSONInPlaceDecoder(reader: self, frame: frame))
            end = try finish(frame)
            return value
        case .stringKeyedDictionary:
            let dictionary = type as! any JSONStringKeyedDecodable.Type
            return try dictionary.decodeJSONStreaming(from: self, at: pos, end: &end) as! T
        case .scalar, .date, .data, .url, .decimal:
            let token = try scanLiteral(at: pos)
            end = Int(token.end)
            return try literal(type, special, token)
        }
    }

    /// The error that hands the document to the tape path; it is never shown to anyone.
    func giveUp(at pos: Int) -> JSONError {
        hasFailed = true
        return error(.invalidValue, at: pos, "the streaming path hands this document to the tape path")
    }

    /// Reads past whatever `init(from:)` left unread of the value in `frame`; returns the offset past the value.
    private func finish(_ frame: Int) throws(JSONError) -> Int {
        let current = frames[frame]
        switch current.phase {
        case .untouched: return try skipValue(at: current.start)
        case .done: return current.pos
        case .object, .array:
            let isObject = current.phase == .object
            var pos = current.pos
            while true {
                if isObject { pos = try memberValue(at: pos) }
                let (next, isLast) = try nextItem(after: try skipValue(at: pos), inObject: isObject)
                if isLast { return next }
                pos = next
            }
        }
    }

    /// The offset of the value of the member whose name starts at `pos`, after its name and colon.
    private func memberValue(at pos: Int) throws(JSONError) -> Int {
        guard pos < length, base[pos] == UInt8(ascii: "\"") else { throw giveUp(at: pos) }
        var pos = try scanString(at: pos).end
        skipWhitespace(&pos)
        guard pos < length, base[pos] == UInt8(ascii: ":") else { throw giveUp(at: pos) }
        pos += 1
        skipWhitespace(&pos)
        return pos
    }

    /// After an item (member or element) that ended at `end`, reads the separator: returns the offset of the
    /// next item, or, when the container closes there, the offset past its closing bracket and `isLast`.
    @inline(__always)
    private func nextItem(after end: Int, inObject: Bool) throws(JSONError) -> (pos: Int, isLast: Bool) {
        let closer = inObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        var pos = end
        skipWhitespace(&pos)
        guard pos < length else { throw giveUp(at: pos) }
        if base[pos] == UInt8(ascii: ",") {
            pos += 1
            skipWhitespace(&pos)
            // A trailing comma is an error; the tape path says so.
            guard pos < length, base[pos] != closer else { throw giveUp(at: pos) }
            return (pos, false)
        }
        guard base[pos] == closer else { throw giveUp(at: pos) }
        return (pos + 1, true)
    }

    /// Moves the container in `frame` past the item (member or element) that ended at `end`.
    @inline(__always)
    func advance(_ frame: Int, pastItemEndingAt end: Int) throws(JSONError) {
        let (next, isLast) = try nextItem(after: end, inObject: frames[frame].phase == .object)
        frames[frame].pos = next
        if isLast { frames[frame].phase = .done }
    }

    // MARK: - Containers

    /// Opens the object or array at the start of `frame`'s value.
    ///
    /// - Throws: A type mismatch, which `init(from:)` may catch, when the value is something else; the error that
    ///   gives the document to the tape path when the value has been read already.
    func open(_ frame: Int, asObject: Bool) throws(JSONError) {
        guard frames[frame].phase == .untouched else { throw giveUp(at: frames[frame].start) }
        var pos = frames[frame].start
        guard pos < length, base[pos] == (asObject ? UInt8(ascii: "{") : UInt8(ascii: "[")) else {
            // The tape path's error, unless the value is not valid JSON; the final checks then find that.
            throw error(.typeMismatch, at: pos, asObject ? "expected an object" : "expected an array")
        }
        pos += 1
        skipWhitespace(&pos)
        if pos < length, base[pos] == (asObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
            frames[frame].pos = pos + 1
            frames[frame].phase = .done
        } else {
            frames[frame].pos = pos
            frames[frame].phase = asObject ? .object : .array
        }
    }

    /// The offset of the value of the member that coding-key name `name` reads in the object in `frame`, found
    /// by looking forward from the member read last; `-1` when it is not there.
    ///
    /// Members are matched by their raw bytes against the key's quoted wire name in `names`, so a member whose
    /// name holds escapes is not found here (the tape path finds it).
    func memberValue(named name: String, names: JSONMemberNames, in frame: Int) -> Int {
        guard frames[frame].phase == .object else { return -1 }
        let index = names.index(of: name, hint: frames[frame].keyHint)
        frames[frame].keyHint = index &+ 1
        var pos = frames[frame].pos
        while true {
            let matched = names.matchWireName(index, at: base + pos, available: length - pos)
            if matched > 0 {
                pos += matched
                skipWhitespace(&pos)
                guard pos < length, base[pos] == UInt8(ascii: ":") else { return -1 }
                pos += 1
                skipWhitespace(&pos)
                return pos
            }
            // Step over a member nobody has asked for yet; it is not read again.
            guard let value = try? memberValue(at: pos), let end = try? skipValue(at: value),
                let (next, isLast) = try? nextItem(after: end, inObject: true), !isLast
            else { return -1 }
            pos = next
        }
    }

    /// The next element's offset in the array in `frame`, or `-1` past its end.
    func nextElement(in frame: Int) -> Int {
        frames[frame].phase == .array ? frames[frame].pos : -1
    }
}

// MARK: - Numbers in one pass

extension JSONReader {
    /// Accumulates the decimal digits from `pos` into `value` (wrapping; the caller bounds the count), moves
    /// `pos` past them and returns how many there were.
    @inline(__always)
    private func accumulateDigits<T: FixedWidthInteger>(_ pos: inout Int, into value: inout T) -> Int {
        let start = pos
        while pos < length {
            let digit = base[pos] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            value = value &* 10 &+ T(digit)
            pos &+= 1
        }
        return pos &- start
    }

    /// Reads the integer literal at `pos` as `T` while validating it, and sets `end` past it. Only plain
    /// integers of up to 18 digits that fit `T` are read here; anything else goes the general way, which reads
    /// it exactly or throws the error.
    @inline(__always)
    func scanInteger<T: FixedWidthInteger>(_ type: T.Type, at start: Int, end: inout Int) throws(JSONError) -> T {
        var pos = start
        let isNegative = pos < length && base[pos] == UInt8(ascii: "-")
        if isNegative { pos &+= 1 }
        let digitsStart = pos
        var magnitude: Int64 = 0
        let digits = accumulateDigits(&pos, into: &magnitude)
        let isPlain =
            digits > 0 && digits <= 18 && (digits == 1 || base[digitsStart] != UInt8(ascii: "0"))
            && (pos == length || (base[pos] != UInt8(ascii: ".") && base[pos] | 0x20 != UInt8(ascii: "e")))
        if isPlain, let value = T(exactly: isNegative ? -magnitude : magnitude) {
            end = pos
            return value
        }
        let token = try scanLiteral(at: start)
        end = Int(token.end)
        return try integer(T.self, token)
    }

    /// Reads the number literal at `pos` as a `Double` while validating it, and sets `end` past it. Numbers
    /// without an exponent whose digits fit Clinger's fast path are read here; anything else goes the general
    /// way, which rounds it correctly or throws the error.
    @inline(__always)
    func scanDouble(at start: Int, end: inout Int) throws(JSONError) -> Double {
        var pos = start
        let isNegative = pos < length && base[pos] == UInt8(ascii: "-")
        if isNegative { pos &+= 1 }
        let digitsStart = pos
        var mantissa: UInt64 = 0
        let integerDigits = accumulateDigits(&pos, into: &mantissa)
        var fractionDigits = 0
        var isPlain = integerDigits > 0 && (integerDigits == 1 || base[digitsStart] != UInt8(ascii: "0"))
        if isPlain, pos < length, base[pos] == UInt8(ascii: ".") {
            pos &+= 1
            fractionDigits = accumulateDigits(&pos, into: &mantissa)
            isPlain = fractionDigits > 0
        }
        isPlain =
            isPlain && integerDigits &+ fractionDigits <= 19 && mantissa <= 1 << 53 && fractionDigits <= 22
            && (pos == length || base[pos] | 0x20 != UInt8(ascii: "e"))
        if isPlain {
            end = pos
            // Clinger's fast path, as in `double(_:)`: both operands are exact, so the division rounds correctly.
            let value = Double(mantissa) / Self.powersOfTen[fractionDigits]
            return isNegative ? -value : value
        }
        let token = try scanLiteral(at: start)
        end = Int(token.end)
        return try double(token)
    }
}
