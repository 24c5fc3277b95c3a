import Foundation

/// The JSON coding used for changelog keys and values and for repartition topics.
@usableFromInline
enum StateJSON {
    @usableFromInline
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Changelog keys must be byte-identical across processes for compaction to match them.
        encoder.outputFormatting = .sortedKeys
        return Array(try encoder.encode(value))
    }

    @usableFromInline
    static func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(bytes))
    }
}
