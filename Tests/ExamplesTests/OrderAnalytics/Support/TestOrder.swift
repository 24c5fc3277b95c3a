import Foundation

/// An order as the tests write it, and read it back from `order_events` (snake_case JSON).
struct TestOrder: Codable, Hashable {
    struct Item: Codable, Hashable {
        var productId: String
        var quantity: Int
        var price: Double
    }

    var orderId: String
    var userId: String
    var items: [Item]
    var total: Double
    var tsEventMs: Int64

    /// The request body: snake_case JSON written by Foundation, independently of StreamKit's coder.
    var json: Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? encoder.encode(self)) ?? Data()
    }

    /// Reads an `order_events` value written as JSON.
    static func decode(_ bytes: [UInt8]) throws -> TestOrder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(TestOrder.self, from: Data(bytes))
    }
}
