/// How Swift `CodingKey` names map to JSON member names on the wire.
public enum JSONKeyMapping: Sendable {
    /// A Swift `camelCase` name is `snake_case` on the wire (`bidVolume` ⇄ `bid_volume`).
    ///
    /// The same rules as Foundation's `.convertToSnakeCase` (encoding) and `.convertFromSnakeCase` (decoding):
    /// encoding splits words at lower-to-upper transitions and before the last capital of an acronym
    /// (`myURLValue` → `my_url_value`); decoding capitalises each `_`-separated word after the first
    /// (`my_url_value` → `myUrlValue`), so an acronym property needs an explicit `CodingKeys` raw value, as with
    /// Foundation. The keys of `[String: T]` dictionaries are data, not names, and are never converted.
    case snakeCase
    /// The `CodingKey`'s `stringValue` is the member name, byte for byte.
    case useDefaultKeys
}

// MARK: - Conversions

extension JSONKeyMapping {
    /// The member name, unescaped, that the coding key `name` is written as.
    func wireName(for name: String) -> String {
        switch self {
        case .snakeCase: Self.snakeCaseWireName(for: name)
        case .useDefaultKeys: name
        }
    }

    /// Foundation's `convertToSnakeCase`: words split at lower→upper transitions and before the capital that
    /// starts a lower-case run after an acronym, joined with `_` and lower-cased.
    static func snakeCaseWireName(for name: String) -> String {
        let scalars = Array(name.unicodeScalars)
        guard scalars.count > 1 else { return name.lowercased() }
        func isUpper(_ s: Unicode.Scalar) -> Bool { s.properties.isUppercase }
        func isLower(_ s: Unicode.Scalar) -> Bool { s.properties.isLowercase }
        var words: [Range<Int>] = []
        var wordStart = 0
        var searchStart = 1
        while let upper = scalars[searchStart...].firstIndex(where: isUpper) {
            words.append(wordStart..<upper)
            guard let lower = scalars[upper...].firstIndex(where: isLower) else {
                wordStart = upper
                searchStart = scalars.count
                break
            }
            if lower == upper + 1 {
                wordStart = upper
            } else {
                words.append(upper..<(lower - 1))
                wordStart = lower - 1
            }
            searchStart = lower + 1
            if searchStart >= scalars.count { break }
        }
        words.append(wordStart..<scalars.count)
        return words.map { range in
            var word = String.UnicodeScalarView()
            word.append(contentsOf: scalars[range])
            return String(word).lowercased()
        }.joined(separator: "_")
    }

    /// Foundation's `convertFromSnakeCase` for an ASCII wire name, produced one byte at a time.
    ///
    /// Leading and trailing underscores stay; the words between are split on `_` (empty words vanish); a
    /// single word is kept as is, otherwise the first is lower-cased and the rest capitalised — a letter is
    /// upper-cased at the start of a word or after a character that is neither a letter nor `'`.
    /// Stops as soon as `emit` returns `false` and returns `false`; returns `nil` when the name is not ASCII
    /// (some bytes may have been emitted by then), else `true`.
    @inline(__always)
    static func visitCamelCaseName(
        fromWire wire: UnsafeBufferPointer<UInt8>, _ emit: (UInt8) -> Bool
    ) -> Bool? {
        let underscore = UInt8(ascii: "_")
        var first = 0
        while first < wire.count, wire[first] == underscore { first += 1 }
        var last = wire.count - 1
        while last > first, wire[last] == underscore { last -= 1 }
        var hasInnerUnderscore = false
        if first < wire.count {
            for i in first...last where wire[i] == underscore {
                hasInnerUnderscore = true
                break
            }
        }
        guard hasInnerUnderscore else {
            for byte in wire {
                guard byte < 0x80 else { return nil }
                guard emit(byte) else { return false }
            }
            return true
        }
        for _ in 0..<first { guard emit(underscore) else { return false } }
        var isFirstWord = true
        var previous = underscore
        for i in first...last {
            let byte = wire[i]
            guard byte < 0x80 else { return nil }
            if byte == underscore {
                if previous != underscore { isFirstWord = false }
                previous = byte
                continue
            }
            var output = byte
            if isASCIILetter(byte) {
                let continuesWord = isASCIILetter(previous) || previous == UInt8(ascii: "'")
                output = !isFirstWord && !continuesWord ? byte & ~0x20 : byte | 0x20
            }
            guard emit(output) else { return false }
            previous = byte
        }
        for _ in (last + 1)..<wire.count { guard emit(underscore) else { return false } }
        return true
    }

    @inline(__always)
    private static func isASCIILetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- UInt8(ascii: "a") < 26 }

    /// `convertFromSnakeCase` for any wire name; the Unicode fallback of the byte version above.
    static func camelCaseName(fromWire wire: String) -> String {
        let chars = Array(wire)
        guard let first = chars.firstIndex(where: { $0 != "_" }) else { return wire }
        var last = chars.count - 1
        while last > first, chars[last] == "_" { last -= 1 }
        let words = chars[first...last].split(separator: "_")
        guard words.count > 1 else { return wire }
        var result = String(chars[..<first])
        for (index, word) in words.enumerated() {
            var previousIsLetter = false
            for char in word {
                if char.isLetter {
                    result += index > 0 && !previousIsLetter ? char.uppercased() : char.lowercased()
                } else {
                    result.append(char)
                }
                previousIsLetter = char.isLetter || char == "'"
            }
        }
        result += String(chars[(last + 1)...])
        return result
    }
}
