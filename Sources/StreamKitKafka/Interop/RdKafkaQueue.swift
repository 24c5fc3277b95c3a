internal import CRdKafka

/// Owns one `rd_kafka_queue_t` and retains its client, so the queue is destroyed before the client.
///
/// `@unchecked Sendable`: the handle never changes and librdkafka queues may be served from any thread.
final class RdKafkaQueue: @unchecked Sendable {
    let client: RdKafkaClient
    private let queue: OpaquePointer

    private init(client: RdKafkaClient, queue: OpaquePointer) {
        self.client = client
        self.queue = queue
    }

    deinit { rd_kafka_queue_destroy(queue) }

    /// The client's main queue: delivery reports, errors and other events when the event API is enabled.
    static func main(of client: RdKafkaClient) -> RdKafkaQueue {
        RdKafkaQueue(client: client, queue: client.withHandle { rd_kafka_queue_get_main($0) })
    }

    /// The queue consumed messages arrive on: the group's queue once the main queue is forwarded to it, or the
    /// main queue for a consumer without `group.id`.
    static func consumer(of client: RdKafkaClient) -> RdKafkaQueue {
        client.withHandle { rk in
            _ = rd_kafka_poll_set_consumer(rk)
            if let queue = rd_kafka_queue_get_consumer(rk) { return RdKafkaQueue(client: client, queue: queue) }
            return RdKafkaQueue(client: client, queue: rd_kafka_queue_get_main(rk))
        }
    }

    /// A new private queue, e.g. for one admin request's result.
    static func new(for client: RdKafkaClient) -> RdKafkaQueue {
        RdKafkaQueue(client: client, queue: client.withHandle { rd_kafka_queue_new($0) })
    }

    func withQueue<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R { try body(queue) }
}

/// Owns one `rd_kafka_topic_t` and retains its client.
///
/// `@unchecked Sendable`: the handle never changes; librdkafka topic handles are thread-safe.
final class RdKafkaTopic: @unchecked Sendable {
    let client: RdKafkaClient
    let name: String
    private let topic: OpaquePointer

    init(client: RdKafkaClient, name: String) throws(KafkaError) {
        guard let topic = client.withHandle({ rd_kafka_topic_new($0, name, nil) }) else {
            throw RdKafkaErrors.error(rd_kafka_last_error(), topic: name)
                ?? KafkaError(code: .invalidArgument, reason: "cannot make a topic handle", topic: name)
        }
        self.client = client
        self.name = name
        self.topic = topic
    }

    deinit { rd_kafka_topic_destroy(topic) }

    func withTopic<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R { try body(topic) }
}
