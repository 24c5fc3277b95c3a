internal import CRdKafka

/// Owns one `rd_kafka_t`, destroyed exactly once in `deinit`.
///
/// `@unchecked Sendable`: the handle never changes after `init` and librdkafka's client API is thread-safe;
/// children (`RdKafkaQueue`, `RdKafkaTopic`, the mock cluster) retain the client, so they are destroyed first.
final class RdKafkaClient: @unchecked Sendable {
    enum Kind {
        case producer, consumer
    }

    private let handle: OpaquePointer
    /// Whatever a C callback recovers through the configuration's opaque pointer (the rebalance buffer). Stored
    /// properties are released after `deinit` has run `rd_kafka_destroy`, so it outlives every callback.
    private let callbackContext: AnyObject?
    /// The embedded cluster the client talks to, released (like `callbackContext`) after `rd_kafka_destroy`, so
    /// the cluster never closes under a live client.
    private let embeddedCluster: AnyObject?

    /// Makes the client from a fully applied configuration; on failure throws librdkafka's message and frees
    /// everything, leaving no half-built object.
    init(_ kind: Kind, config: RdKafkaConfig, callbackContext: AnyObject? = nil) throws(KafkaError) {
        var errstr = [CChar](repeating: 0, count: 512)
        let type = kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER
        let made = config.withConf { conf in rd_kafka_new(type, conf, &errstr, errstr.count) }
        guard let made else {
            let message = rdKafkaString(errstr)
            throw KafkaError(code: .invalidArgument, reason: "invalid configuration: \(message)")
        }
        config.release()
        handle = made
        self.callbackContext = callbackContext
        embeddedCluster = config.embeddedCluster
    }

    deinit { rd_kafka_destroy(handle) }

    func withHandle<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R { try body(handle) }

    /// The client's name, e.g. `rdkafka#producer-1`.
    var name: String { String(cString: rd_kafka_name(handle)) }

    /// The fatal error raised on this client, if any (idempotent or transactional producers, static members).
    var fatalError: KafkaError? {
        var errstr = [CChar](repeating: 0, count: 512)
        let err = rd_kafka_fatal_error(handle, &errstr, errstr.count)
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        let message = rdKafkaString(errstr)
        var error = RdKafkaErrors.error(err, reason: message)!
        error.isFatal = true
        return error
    }

    /// Blocks until every produced message is delivered or failed, or the timeout passes.
    func flush(timeoutMs: Int32) throws(KafkaError) {
        try RdKafkaErrors.check(rd_kafka_flush(handle, timeoutMs), "flush")
    }

    /// Messages and requests not yet delivered or answered.
    var outstandingCount: Int { Int(rd_kafka_outq_len(handle)) }
}

extension Duration {
    /// Milliseconds for a librdkafka timeout argument, clamped to `Int32`; negative durations mean zero.
    var rdKafkaTimeout: Int32 {
        let milliseconds = KafkaConfiguration.milliseconds(self)
        return Int32(clamping: max(0, milliseconds))
    }
}

/// Reads a NUL-terminated error buffer filled by librdkafka.
func rdKafkaString(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
