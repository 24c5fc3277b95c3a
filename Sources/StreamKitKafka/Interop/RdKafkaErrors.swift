internal import CRdKafka

/// Translates librdkafka's error representations into ``KafkaError``, keeping librdkafka's own text.
enum RdKafkaErrors {
    static func name(of code: Int32) -> String {
        String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: code)))
    }

    /// An error from a bare `rd_kafka_resp_err_t`; `nil` for `NO_ERROR`.
    static func error(
        _ err: rd_kafka_resp_err_t, reason: String? = nil, topic: String? = nil, partition: Int? = nil,
        offset: Int64? = nil
    ) -> KafkaError? {
        if err == RD_KAFKA_RESP_ERR_NO_ERROR { return nil }
        let code = KafkaError.Code(rawValue: err.rawValue)
        return KafkaError(
            code: code, reason: reason ?? String(cString: rd_kafka_err2str(err)), topic: topic,
            partition: partition, offset: offset, isRetriable: isRetriable(code),
            isFatal: err == RD_KAFKA_RESP_ERR__FATAL)
    }

    /// Throws for anything but `NO_ERROR`.
    static func check(_ err: rd_kafka_resp_err_t, _ context: @autoclosure () -> String? = nil) throws(KafkaError) {
        if let error = error(err) {
            var error = error
            if let context = context() { error.reason = "\(context): \(error.reason)" }
            throw error
        }
    }

    /// Consumes (destroys) an `rd_kafka_error_t`, keeping its text and classification; `nil` for no error.
    static func take(_ handle: OpaquePointer?) -> KafkaError? {
        guard let handle else { return nil }
        defer { rd_kafka_error_destroy(handle) }
        return KafkaError(
            code: KafkaError.Code(rawValue: rd_kafka_error_code(handle).rawValue),
            reason: String(cString: rd_kafka_error_string(handle)),
            isRetriable: rd_kafka_error_is_retriable(handle) != 0,
            isFatal: rd_kafka_error_is_fatal(handle) != 0,
            requiresAbort: rd_kafka_error_txn_requires_abort(handle) != 0)
    }

    static func check(taking handle: OpaquePointer?) throws(KafkaError) {
        if let error = take(handle) { throw error }
    }

    /// Transient conditions worth retrying when librdkafka does not say: timeouts, transport, leadership moves.
    private static func isRetriable(_ code: KafkaError.Code) -> Bool {
        let retriable: Set<KafkaError.Code> = [
            .timedOut, .queueFull, .leaderNotAvailable, .notLeaderForPartition, .requestTimedOut,
            .notEnoughReplicas, .coordinatorNotAvailable, .notCoordinator, .rebalanceInProgress,
            KafkaError.Code(rawValue: RD_KAFKA_RESP_ERR__TRANSPORT.rawValue),
            KafkaError.Code(rawValue: RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN.rawValue),
        ]
        return retriable.contains(code)
    }
}
