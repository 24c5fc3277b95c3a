import Foundation

/// A validated SQL identifier (table, column, schema, view name) that renders double-quoted.
///
/// Names come from configuration, so they are checked when the configuration is made: at most 63 bytes
/// of UTF-8, and only letters, digits, `_`, `$` and `-` (the first character not a digit or `$`). Quoting
/// keeps the case: `"Bars"` and `"bars"` are different tables, as in PostgreSQL.
///
///     let table = try SQLIdentifier("bars_1s", setting: "table")   // renders "bars_1s"
public struct SQLIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// The name as given.
    public let name: String

    /// Validates `name`; on failure throws a ``TimescaleError/Code-swift.struct/configuration`` error that names
    /// `setting` (e.g. `"table"` or `"columns[2]"`) and what to change.
    public init(_ name: String, setting: String = "identifier") throws(TimescaleError) {
        guard let problem = Self.problem(with: name) else {
            self.name = name
            return
        }
        throw .configuration(
            setting, "\(problem); use letters, digits, _, $ or - (not starting with a digit), at most 63 bytes")
    }

    /// The identifier double-quoted for SQL, with any `"` doubled.
    public var quoted: String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// The quoted form.
    public var description: String { quoted }

    private static func problem(with name: String) -> String? {
        if name.isEmpty { return "the name is empty" }
        if name.utf8.count > 63 { return "the name is longer than 63 bytes" }
        if let first = name.unicodeScalars.first, first.properties.numericType != nil || first == "$" {
            return "the name starts with a digit or $"
        }
        let allowed = name.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || $0.properties.numericType == .decimal || $0 == "_" || $0 == "$" || $0 == "-"
        }
        return allowed ? nil : "the name contains a character that is not allowed"
    }
}

/// A table or view name, optionally schema-qualified, that renders as `"schema"."name"`.
public struct SQLTableName: Sendable, Hashable, CustomStringConvertible {
    /// The schema, or `nil` for the connection's `search_path`.
    public let schema: SQLIdentifier?
    /// The table or view name.
    public let name: SQLIdentifier

    /// Creates a name from validated parts.
    public init(schema: SQLIdentifier? = nil, name: SQLIdentifier) {
        self.schema = schema
        self.name = name
    }

    /// Parses `"table"` or `"schema.table"` from configuration; throws a configuration error naming `setting`.
    public init(_ qualifiedName: String, setting: String = "table") throws(TimescaleError) {
        let parts = qualifiedName.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw .configuration(setting, "use \"table\" or \"schema.table\"") }
        schema = parts.count == 2 ? try SQLIdentifier(String(parts[0]), setting: setting) : nil
        name = try SQLIdentifier(String(parts[parts.count - 1]), setting: setting)
    }

    /// `"schema"."name"` or `"name"`.
    public var quoted: String { schema.map { "\($0.quoted).\(name.quoted)" } ?? name.quoted }

    /// The quoted form.
    public var description: String { quoted }
}
