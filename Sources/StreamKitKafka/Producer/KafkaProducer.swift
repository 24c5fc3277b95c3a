import Dispatch
import Logging
import Synchronization

/// A Kafka producer with awaitable delivery reports, a fire-and-forget hot path, and transactions.
///
/// ``send(_:)`` waits for the broker's acknowledgement and returns where the record landed. ``enqueue(_:)``
/// only hands the record to librdkafka's batching queue; its delivery failures surface at the next
/// ``flush(timeout:)``. Keyed records without an explicit partition go where the Java client would put them
/// (`murmur2_random`).
///
///     let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: brokers))
///     let report = try await producer.send(KafkaProducerMessage(topic: "bars", key: "AAPL", value: json))
///     for record in records { try producer.enqueue(record) }
///     try await producer.flush(timeout: .seconds(10))
///
/// Delivery reports are served by a dedicated polling thread (librdkafka's event queue), and every blocking
/// call runs on a Dispatch thread, so nothing here blocks the cooperative pool. Thread-safe.
public final class KafkaProducer: Sendable {
    let core: KafkaProducerCore

    /// Makes the producer and starts its delivery-report thread; throws ``KafkaError`` naming the property if
    /// librdkafka rejects the configuration.
    ///
    /// - Parameters:
    ///   - configuration: The client configuration; `transactionalID` makes a transactional producer.
    ///   - logger: Receives librdkafka's error events (a broker that cannot be reached, an expired session): a
    ///     warning each while librdkafka retries, an error for a fatal one. Delivery failures are not logged here;
    ///     they are thrown by ``send(_:)`` and ``flush(timeout:)``.
    public init(
        configuration: KafkaConfiguration, logger: Logger = Logger(label: "streamkit.kafka.producer")
    ) throws(KafkaError) {
        core = try KafkaProducerCore(configuration: configuration, logger: logger)
        core.startPolling()
    }

    deinit { core.stopPolling() }

    /// Produces one record and waits for its delivery report.
    ///
    /// - Returns: The partition and offset the record was written at.
    /// - Throws: ``KafkaError`` if the record cannot be enqueued (``KafkaError/Code/queueFull``, unknown
    ///   partition, fatal state) or its delivery failed after librdkafka's retries.
    public func send(_ message: KafkaProducerMessage) async throws(KafkaError) -> KafkaDeliveryReport {
        let result: Result<KafkaDeliveryReport, KafkaError> = await withCheckedContinuation { continuation in
            let promise = Unmanaged.passRetained(DeliveryPromise(continuation))
            do throws(KafkaError) {
                try core.produce(message, opaque: promise.toOpaque())
            } catch {
                promise.release()
                continuation.resume(returning: .failure(error))
            }
        }
        return try result.get()
    }

    /// Hands one record to librdkafka's queue and returns at once; the payload is copied.
    ///
    /// A failed delivery is reported by the next ``flush(timeout:)``.
    /// - Throws: ``KafkaError`` only if the record cannot be enqueued (``KafkaError/Code/queueFull``: wait or
    ///   flush, then retry).
    public func enqueue(_ message: KafkaProducerMessage) throws(KafkaError) {
        try core.produce(message, opaque: nil)
    }

    /// Waits until every enqueued record is delivered or failed, on a Dispatch thread.
    ///
    /// - Throws: ``KafkaError/Code/timedOut`` if records are still outstanding after `timeout`; otherwise the
    ///   first delivery failure of an enqueued record since the previous flush (the others are counted in
    ///   ``deliveryFailureCount``).
    public func flush(timeout: Duration) async throws(KafkaError) {
        let client = core.client
        try await core.blocking.run { () throws(KafkaError) in try client.flush(timeoutMs: timeout.rdKafkaTimeout) }
        if let failure = core.takeFirstFailure() { throw failure }
    }

    /// Records enqueued or in flight, plus pending delivery reports.
    public var outstandingCount: Int { core.client.outstandingCount }

    /// How many enqueued records have failed delivery since the producer was made.
    public var deliveryFailureCount: Int { core.failureCount }

    /// The fatal error raised on this producer, if any: it must then be replaced.
    public var fatalError: KafkaError? { core.client.fatalError }
}

/// A `send` awaiting its delivery report; passed to librdkafka as the message's opaque pointer, retained once,
/// and released when the report arrives.
final class DeliveryPromise {
    let continuation: CheckedContinuation<Result<KafkaDeliveryReport, KafkaError>, Never>
    init(_ continuation: CheckedContinuation<Result<KafkaDeliveryReport, KafkaError>, Never>) {
        self.continuation = continuation
    }
}

/// The producer's state shared with its polling thread. The thread holds the core, not the `KafkaProducer`,
/// so releasing the producer stops the thread, after which the core (and so the client) is freed.
final class KafkaProducerCore: Sendable {
    let client: RdKafkaClient
    let blocking: BlockingCalls
    private let events: RdKafkaQueue
    private let topics = Mutex<[String: RdKafkaTopic]>([:])
    private let failures = Mutex<(first: KafkaError?, count: Int)>((nil, 0))
    private let isStopping = Atomic<Bool>(false)
    private let logger: Logger

    init(configuration: KafkaConfiguration, logger: Logger) throws(KafkaError) {
        self.logger = logger
        let config = try RdKafkaConfig(configuration, defaults: [("partitioner", configuration.partitioner)])
        config.enableDeliveryEvents()
        client = try RdKafkaClient(.producer, config: config)
        events = RdKafkaQueue.main(of: client)
        blocking = BlockingCalls(label: "streamkit.kafka.producer.\(client.name)")
    }

    func produce(_ message: KafkaProducerMessage, opaque: UnsafeMutableRawPointer?) throws(KafkaError) {
        let topic = try topicHandle(message.topic)
        try topic.produce(
            partition: Int32(clamping: message.partition ?? -1), key: message.key, value: message.value,
            headers: message.headers, timestampMs: message.timestampMs, opaque: opaque)
    }

    private func topicHandle(_ name: String) throws(KafkaError) -> RdKafkaTopic {
        try topics.withLock { topics throws(KafkaError) in
            if let topic = topics[name] { return topic }
            let topic = try RdKafkaTopic(client: client, name: name)
            topics[name] = topic
            return topic
        }
    }

    /// Serves delivery reports on a dedicated thread until `stopPolling`, then drains what is left.
    func startPolling() {
        DispatchQueue(label: "streamkit.kafka.producer.\(client.name).events").async { [self] in
            while !isStopping.load(ordering: .acquiring) {
                _ = events.serveProducerEvent(timeoutMs: 100, onDelivery: deliver, onError: report)
            }
            while events.serveProducerEvent(timeoutMs: 0, onDelivery: deliver, onError: report) {}
        }
    }

    func stopPolling() { isStopping.store(true, ordering: .releasing) }

    private func deliver(_ delivery: RdKafkaDelivery) {
        if let opaque = delivery.opaque {
            Unmanaged<DeliveryPromise>.fromOpaque(opaque).takeRetainedValue().continuation.resume(
                returning: delivery.result)
        } else if case .failure(let error) = delivery.result {
            failures.withLock { failures in
                if failures.first == nil { failures.first = error }
                failures.count += 1
            }
        }
    }

    /// Logs an error event: librdkafka retries everything but a fatal error, which ends the producer.
    private func report(_ error: KafkaError) {
        if error.isFatal {
            logger.error("producer failed fatally; it must be replaced", metadata: ["error": "\(error)"])
        } else {
            logger.warning("producer error; librdkafka retries", metadata: ["error": "\(error)"])
        }
    }

    func takeFirstFailure() -> KafkaError? {
        failures.withLock { failures in
            defer { failures.first = nil }
            return failures.first
        }
    }

    var failureCount: Int { failures.withLock { $0.count } }
}
