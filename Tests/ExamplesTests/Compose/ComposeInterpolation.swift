/// Compose's variable interpolation (`${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}`,
/// `${NAME:+alternative}`, `$NAME` and the `$$` escape), evaluated with no variable set, as on a fresh machine
/// without a `.env` file: every value falls back to its default. It records the variables used and those that
/// have no default (Compose would warn and use an empty string, or stop for `:?`).
struct ComposeInterpolation {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private(set) var variablesUsed: Set<String> = []
    private(set) var variablesWithoutDefault: Set<String> = []

    /// `text` with every variable replaced by its default.
    mutating func resolve(_ text: String) throws -> String {
        var output = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            guard let next = rest.first else { throw Failure(description: "a lone '$' ends \"\(text)\"") }
            if next == "$" {
                output += "$"
                rest = rest.dropFirst()
            } else if next == "{" {
                let body = try Self.braced(&rest, in: text)
                output += try expand(body, in: text)
            } else {
                let name = rest.prefix { $0 == "_" || $0.isLetter || $0.isNumber }
                guard let first = name.first, !first.isNumber else {
                    throw Failure(description: "'$' is not followed by a variable name in \"\(text)\"; write $$")
                }
                variablesUsed.insert(String(name))
                variablesWithoutDefault.insert(String(name))
                rest = rest.dropFirst(name.count)
            }
        }
        return output + rest
    }

    /// Everything between `{` and its matching `}`, consumed from `rest`.
    private static func braced(_ rest: inout Substring, in text: String) throws -> Substring {
        var depth = 0
        for index in rest.indices {
            switch rest[index] {
            case "{": depth += 1
            case "}":
                depth -= 1
                if depth == 0 {
                    let body = rest[rest.index(after: rest.startIndex)..<index]
                    rest = rest[rest.index(after: index)...]
                    return body
                }
            default: break
            }
        }
        throw Failure(description: "an unclosed '${' in \"\(text)\"")
    }

    private mutating func expand(_ body: Substring, in text: String) throws -> String {
        let name = body.prefix { $0 == "_" || $0.isLetter || $0.isNumber }
        guard !name.isEmpty else { throw Failure(description: "'${\(body)}' names no variable in \"\(text)\"") }
        variablesUsed.insert(String(name))
        let modifier = body.dropFirst(name.count)
        for (prefix, kind) in [
            (":-", "default"), ("-", "default"), (":?", "error"), ("?", "error"),
            (":+", "alternative"), ("+", "alternative"),
        ] where modifier.hasPrefix(prefix) {
            let argument = String(modifier.dropFirst(prefix.count))
            switch kind {
            case "default": return try resolve(argument)
            case "error": throw Failure(description: "${\(name)} must be set: \(argument)")
            default: return ""
            }
        }
        guard modifier.isEmpty else { throw Failure(description: "'${\(body)}' is malformed in \"\(text)\"") }
        variablesWithoutDefault.insert(String(name))
        return ""
    }
}
