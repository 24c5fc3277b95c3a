import Foundation

/// An exact decimal for a `numeric` column, kept as its canonical decimal text.
///
/// StreamKit writes money as `numeric`, never as a float: build it from a decimal string, an integer,
/// or a `Decimal`. The value is sent in PostgreSQL's binary `numeric` format, so `"12.50"` is stored
/// with its scale of 2.
///
///     let price = try TimescaleNumeric("1234.5600")
public struct TimescaleNumeric: Sendable, Hashable, CustomStringConvertible {
    /// Canonical text: optional `-`, integer digits without leading zeros (at least one), optional `.` and
    /// fraction digits as given; or `NaN`.
    public let description: String

    /// Parses `[+-]digits[.digits]` or `NaN`; throws a configuration error for anything else.
    public init(_ text: String) throws(TimescaleError) {
        guard let canonical = Self.canonical(text) else {
            throw TimescaleError(
                code: .valueType, message: "not a decimal number; use digits, one optional '.' and sign")
        }
        description = canonical
    }

    /// An exact integer.
    public init(_ value: Int64) { description = String(value) }

    /// A `Decimal`, through its exact decimal text.
    public init(_ value: Decimal) throws(TimescaleError) {
        try self.init(value.isNaN ? "NaN" : value.description)
    }

    /// The not-a-number value that `numeric` supports.
    public static let nan = TimescaleNumeric(canonical: "NaN")

    private init(canonical: String) { description = canonical }

    private static func canonical(_ text: String) -> String? {
        if text == "NaN" { return text }
        var utf8 = Substring(text).utf8[...]
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        let parts = utf8.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        let integer = parts[0]
        let fraction = parts.count > 1 ? parts[1] : nil
        let isDigit = { (b: UInt8) in b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        guard integer.allSatisfy(isDigit), fraction?.allSatisfy(isDigit) ?? true,
            !integer.isEmpty || !(fraction?.isEmpty ?? true)
        else { return nil }
        var digits = String(decoding: integer.drop(while: { $0 == UInt8(ascii: "0") }), as: UTF8.self)
        if digits.isEmpty { digits = "0" }
        if let fraction, !fraction.isEmpty { digits += "." + String(decoding: fraction, as: UTF8.self) }
        let isZero = !digits.contains { $0 != "0" && $0 != "." }
        return (negative && !isZero ? "-" : "") + digits
    }
}
