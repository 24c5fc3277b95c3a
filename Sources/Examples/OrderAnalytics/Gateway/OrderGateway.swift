import Foundation
import StreamKit
import StreamKitKafka

/// The gateway's request handling, independent of the HTTP server: a body in, a status and JSON body out.
///
/// Orders are validated, claimed in the idempotency cache by `order_id`, and written through the transactional
/// publisher to `order_events`, keyed by `order_id`; product views go to `product_views`, keyed by `product_id`
/// (views are analytics samples: a retried view is written again). The record timestamp is the time of
/// writing; the event time travels in `ts_event_ms`.
struct OrderGateway: Sendable {
    /// Where an accepted order landed, returned again to its retries.
    struct Receipt: Codable, Sendable {
        var partition: Int
        var offset: Int64
        var tsEventMs: Int64
    }

    /// The body of a 202 answer.
    struct Accepted: Codable, Sendable {
        var status = "accepted"
        var orderId: String?
        var duplicate: Bool
        var partition: Int
        var offset: Int64
        var tsEventMs: Int64
    }

    /// A status and a JSON body.
    struct Reply: Sendable {
        var status: Int
        var body: [UInt8]
    }

    /// The largest body accepted, in bytes.
    static let maxBodySize = 1 << 20

    let topics: OrderTopics
    let orderSerde: Serde<OrderEvent>
    let viewSerde: Serde<ProductView>
    let publisher: TransactionalPublisher
    let cache: IdempotencyCache<Receipt>

    private static let orderRequests = Serde<OrderRequest>.json(keyMapping: .useDefaultKeys, limits: .default)
    private static let viewRequests = Serde<ProductViewRequest>.json(keyMapping: .useDefaultKeys, limits: .default)

    /// `POST /api/v1/orders`.
    func acceptOrder(_ body: [UInt8]) async -> Reply {
        let request: OrderRequest
        let event: OrderEvent
        do {
            request = try Self.decode(body, with: Self.orderRequests)
            event = try request.validated(receivedAtMs: Self.nowMs())
        } catch {
            return Self.reply(error)
        }
        switch await cache.claim(event.orderId, fingerprint: Self.fingerprint(request)) {
        case .replay(let receipt):
            return Self.accepted(orderID: event.orderId, receipt, duplicate: true)
        case .conflict:
            return Self.reply(
                RequestRejection(
                    status: 409, message: "order_id '\(event.orderId)' was already accepted with a different body",
                    field: "order_id"))
        case .claimed:
            do {
                let report = try await publish(event, serde: orderSerde, topic: topics.orderEvents, key: event.orderId)
                let receipt = Receipt(partition: report.partition, offset: report.offset, tsEventMs: event.tsEventMs)
                cache.complete(event.orderId, receipt: receipt)
                return Self.accepted(orderID: event.orderId, receipt, duplicate: false)
            } catch {
                cache.release(event.orderId)
                return Self.reply(error)
            }
        }
    }

    /// `POST /api/v1/product-views`.
    func acceptView(_ body: [UInt8]) async -> Reply {
        do {
            let view = try Self.decode(body, with: Self.viewRequests).validated(receivedAtMs: Self.nowMs())
            let report = try await publish(view, serde: viewSerde, topic: topics.productViews, key: view.productId)
            return Self.accepted(
                orderID: nil, Receipt(partition: report.partition, offset: report.offset, tsEventMs: view.tsEventMs),
                duplicate: false)
        } catch {
            return Self.reply(error)
        }
    }

    private func publish<Value>(_ value: Value, serde: Serde<Value>, topic: String, key: String)
        async throws(RequestRejection)
        -> KafkaDeliveryReport
    {
        do {
            let bytes = try serde.encode(value)
            return try await publisher.publish(KafkaProducerMessage(topic: topic, key: Array(key.utf8), value: bytes))
        } catch {
            throw RequestRejection(status: 503, message: "could not write to \(topic), retry later: \(error)")
        }
    }

    // MARK: - Bodies

    private static func decode<Request>(_ body: [UInt8], with serde: Serde<Request>) throws(RequestRejection) -> Request
    {
        do {
            return try serde.decode(body)
        } catch let error as SerdeError {
            // The field is where the parser stopped: the missing or mistyped member, or the one being read
            // when a truncated body ended.
            throw RequestRejection(
                status: 400, message: "invalid JSON body: \(error.reason)",
                field: error.field.flatMap { $0.isEmpty ? nil : $0 })
        } catch {
            throw RequestRejection(status: 400, message: "invalid JSON body: \(error)")
        }
    }

    /// Equal for requests that say the same thing, however their JSON is spaced or ordered.
    private static func fingerprint(_ request: OrderRequest) -> Int {
        var hasher = Hasher()
        hasher.combine((try? orderRequests.encode(request)) ?? [])
        return hasher.finalize()
    }

    private static func accepted(orderID: String?, _ receipt: Receipt, duplicate: Bool) -> Reply {
        let body = Accepted(
            orderId: orderID, duplicate: duplicate, partition: receipt.partition, offset: receipt.offset,
            tsEventMs: receipt.tsEventMs)
        return Reply(status: 202, body: (try? Serde<Accepted>.json.encode(body)) ?? [])
    }

    static func reply(_ error: any Error) -> Reply {
        let rejection =
            error as? RequestRejection ?? RequestRejection(status: 500, message: "internal error: \(error)")
        let body = ErrorBody(error: rejection.message, field: rejection.field)
        return Reply(status: rejection.status, body: (try? Serde<ErrorBody>.json.encode(body)) ?? [])
    }

    private static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down)) }
}
