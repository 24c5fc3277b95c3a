#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A type the coders read or write themselves instead of calling its `Codable` conformance.
enum JSONSpecialType {
    case none
    case scalar(any JSONScalar.Type)
    case date, data, url, decimal
    /// `[String: Value]`, whose keys are never key-mapped.
    case stringKeyedDictionary

    static func classify(_ type: Any.Type, decoding: Bool) -> JSONSpecialType {
        if let scalar = type as? any JSONScalar.Type { return .scalar(scalar) }
        if type == Date.self { return .date }
        if type == Data.self { return .data }
        if type == URL.self { return .url }
        if type == Decimal.self { return .decimal }
        let isDictionary =
            decoding ? type is any JSONStringKeyedDecodable.Type : type is any JSONStringKeyedEncodable.Type
        return isDictionary ? .stringKeyedDictionary : .none
    }
}

/// Remembers how the last few types a coder met are handled.
///
/// Classifying a type asks the runtime for protocol conformances, which costs far more than decoding a small
/// record; a coder meets the same few types again and again, so it asks once per type.
struct JSONTypeCache {
    private let isDecoding: Bool
    private var entries: [(type: ObjectIdentifier, special: JSONSpecialType)] = []
    private var nextEvicted = 0
    private static let capacity = 16

    init(decoding: Bool) { isDecoding = decoding }

    mutating func special(for type: Any.Type) -> JSONSpecialType {
        let id = ObjectIdentifier(type)
        for entry in entries where entry.type == id { return entry.special }
        let special = JSONSpecialType.classify(type, decoding: isDecoding)
        if entries.count < Self.capacity {
            entries.append((id, special))
        } else {
            entries[nextEvicted] = (id, special)
            nextEvicted = (nextEvicted + 1) % Self.capacity
        }
        return special
    }
}
