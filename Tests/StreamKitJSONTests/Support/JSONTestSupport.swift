import Foundation
import StreamKitJSON
import StreamKitTestSupport

/// Any JSON value, decodable by any `Decoder`: lets a test compare what two decoders saw in a document.
enum AnyJSON: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([AnyJSON])
    case object([String: AnyJSON])

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            var members: [String: AnyJSON] = [:]
            for key in object.allKeys { members[key.stringValue] = try object.decode(AnyJSON.self, forKey: key) }
            self = .object(members)
        } else if var array = try? decoder.unkeyedContainer() {
            var elements: [AnyJSON] = []
            while !array.isAtEnd { elements.append(try array.decode(AnyJSON.self)) }
            self = .array(elements)
        } else {
            let value = try decoder.singleValueContainer()
            if value.decodeNil() {
                self = .null
            } else if let bool = try? value.decode(Bool.self) {
                self = .bool(bool)
            } else if let string = try? value.decode(String.self) {
                self = .string(string)
            } else {
                self = .number(try value.decode(Double.self))
            }
        }
    }
}

/// The market tick of DESIGN.md section 5.
struct WireTick: Codable, Equatable {
    var symbol: String
    var bid, ask, bidVolume, askVolume: Double
    var tsEventMs, tsIngestMs: Int64
    var sequence: Int64
}

/// The one-second bar of DESIGN.md section 5.
struct WireBar: Codable, Equatable {
    var symbol: String
    var windowStart, windowEnd: Int64
    var count: Int
    var meanMid, minBid, maxAsk, spread: Double
    var lastSequence: Int64
}

func foundationDecoder(snakeCase: Bool) -> JSONDecoder {
    let decoder = JSONDecoder()
    if snakeCase { decoder.keyDecodingStrategy = .convertFromSnakeCase }
    return decoder
}

func foundationEncoder(snakeCase: Bool) -> JSONEncoder {
    let encoder = JSONEncoder()
    if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
    return encoder
}

/// Decodes with StreamKit, returning the error as a `JSONError` (or `nil` if decoding succeeded).
func streamError<T: Decodable>(
    _ type: T.Type, _ bytes: [UInt8], decoder: StreamJSONDecoder = StreamJSONDecoder(keyMapping: .useDefaultKeys)
) -> JSONError? {
    do {
        _ = try decoder.decode(type, from: bytes)
        return nil
    } catch let error as JSONError {
        return error
    } catch {
        return JSONError(kind: .dataCorrupted, byteOffset: -1, codingPath: "", reason: "not a JSONError: \(error)")
    }
}
