internal import CRdKafka

extension RdKafkaConfig {
    /// Delivery reports and errors become events on the main queue, served by the producer's polling thread.
    /// (`rd_kafka_flush` then waits for the queue to drain instead of serving callbacks itself.)
    func enableDeliveryEvents() {
        withConf { rd_kafka_conf_set_events($0, Int32(RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR)) }
    }
}

/// The outcome of one produced message, read from a delivery report event.
struct RdKafkaDelivery {
    var result: Result<KafkaDeliveryReport, KafkaError>
    /// The `msg_opaque` given to `produce`.
    var opaque: UnsafeMutableRawPointer?
}

extension RdKafkaTopic {
    /// Enqueues one message (payloads copied by librdkafka). `partition` -1 lets the partitioner choose.
    /// Non-blocking: a full queue throws `queueFull`.
    func produce(
        partition: Int32, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader], timestampMs: Int64?,
        opaque: UnsafeMutableRawPointer?
    ) throws(KafkaError) {
        let headerList: OpaquePointer? = headers.isEmpty ? nil : Self.makeHeaders(headers)
        let error: KafkaError? = withOptionalBytes(key) { key in
            withOptionalBytes(value) { value in
                var fields = [rd_kafka_vu_t](repeating: rd_kafka_vu_t(), count: 8)
                var count = 0
                func add(_ type: rd_kafka_vtype_t, _ set: (inout rd_kafka_vu_t) -> Void) {
                    fields[count].vtype = type
                    set(&fields[count])
                    count += 1
                }
                withTopic { topic in add(RD_KAFKA_VTYPE_RKT) { $0.u.rkt = topic } }
                add(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = partition }
                add(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
                if let key {
                    add(RD_KAFKA_VTYPE_KEY) {
                        $0.u.mem = .init(ptr: UnsafeMutableRawPointer(mutating: key.baseAddress), size: key.count)
                    }
                }
                if let value {
                    add(RD_KAFKA_VTYPE_VALUE) {
                        $0.u.mem = .init(ptr: UnsafeMutableRawPointer(mutating: value.baseAddress), size: value.count)
                    }
                }
                if let timestampMs { add(RD_KAFKA_VTYPE_TIMESTAMP) { $0.u.i64 = timestampMs } }
                if let headerList { add(RD_KAFKA_VTYPE_HEADERS) { $0.u.headers = headerList } }
                if let opaque { add(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = opaque } }
                return client.withHandle { rk in RdKafkaErrors.take(rd_kafka_produceva(rk, fields, count)) }
            }
        }
        guard var error else { return }
        // On failure the headers were not taken over.
        if let headerList { rd_kafka_headers_destroy(headerList) }
        error.topic = name
        if partition >= 0 { error.partition = Int(partition) }
        throw error
    }

    private static func makeHeaders(_ headers: [KafkaHeader]) -> OpaquePointer {
        let list = rd_kafka_headers_new(headers.count)!
        for header in headers {
            if let value = header.value {
                value.withUnsafeBytes { bytes in
                    _ = rd_kafka_header_add(list, header.name, -1, bytes.baseAddress, bytes.count)
                }
            } else {
                _ = rd_kafka_header_add(list, header.name, -1, nil, 0)
            }
        }
        return list
    }
}

/// Lends the bytes of an optional array; a non-nil empty array still gets a non-nil (empty) buffer.
private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { buffer in
        // An empty array may lend a nil base address, which librdkafka would read as a null key or value.
        if buffer.baseAddress == nil {
            return withUnsafeBytes(of: UInt8(0)) { body(UnsafeRawBufferPointer(rebasing: $0[0..<0])) }
        }
        return body(buffer)
    }
}

extension RdKafkaQueue {
    /// Waits up to `timeoutMs` for one event and handles it: each message of a delivery report goes to
    /// `onDelivery`, an error event to `onError`. Returns `false` if no event came.
    func serveProducerEvent(
        timeoutMs: Int32, onDelivery: (RdKafkaDelivery) -> Void, onError: (KafkaError) -> Void
    ) -> Bool {
        guard let event = withQueue({ rd_kafka_queue_poll($0, timeoutMs) }) else { return false }
        defer { rd_kafka_event_destroy(event) }
        switch rd_kafka_event_type(event) {
        case RD_KAFKA_EVENT_DR:
            while let message = rd_kafka_event_message_next(event) {
                onDelivery(Self.delivery(of: message))
            }
        case RD_KAFKA_EVENT_ERROR:
            let err = rd_kafka_event_error(event)
            var error = RdKafkaErrors.error(err, reason: String(cString: rd_kafka_event_error_string(event)))
            if rd_kafka_event_error_is_fatal(event) != 0 {
                error = client.fatalError ?? error
                error?.isFatal = true
            }
            if let error { onError(error) }
        default:
            break
        }
        return true
    }

    private static func delivery(of message: UnsafePointer<rd_kafka_message_t>) -> RdKafkaDelivery {
        let topic = String(cString: rd_kafka_topic_name(message.pointee.rkt))
        let partition = Int(message.pointee.partition)
        if let error = RdKafkaErrors.error(
            message.pointee.err, topic: topic, partition: partition >= 0 ? partition : nil)
        {
            return RdKafkaDelivery(result: .failure(error), opaque: message.pointee._private)
        }
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &type)
        let report = KafkaDeliveryReport(
            topic: topic, partition: partition, offset: message.pointee.offset,
            timestampMs: type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp)
        return RdKafkaDelivery(result: .success(report), opaque: message.pointee._private)
    }
}

extension RdKafkaClient {
    // MARK: - Transactions (all but begin block, up to the timeout)

    func initTransactions(timeoutMs: Int32) throws(KafkaError) {
        try withHandle { rk throws(KafkaError) in
            try RdKafkaErrors.check(taking: rd_kafka_init_transactions(rk, timeoutMs))
        }
    }

    func beginTransaction() throws(KafkaError) {
        try withHandle { rk throws(KafkaError) in try RdKafkaErrors.check(taking: rd_kafka_begin_transaction(rk)) }
    }

    func sendOffsetsToTransaction(
        _ offsets: [(KafkaTopicPartition, Int64)], groupMetadata: [UInt8], timeoutMs: Int32
    ) throws(KafkaError) {
        var metadata: OpaquePointer?
        try RdKafkaErrors.check(
            taking: groupMetadata.withUnsafeBytes {
                rd_kafka_consumer_group_metadata_read(&metadata, $0.baseAddress, $0.count)
            })
        defer { rd_kafka_consumer_group_metadata_destroy(metadata) }
        let list = RdKafkaTopicPartitionList(offsets)
        try withHandle { rk throws(KafkaError) in
            try RdKafkaErrors.check(
                taking: list.withList { rd_kafka_send_offsets_to_transaction(rk, $0, metadata, timeoutMs) })
        }
    }

    func commitTransaction(timeoutMs: Int32) throws(KafkaError) {
        try withHandle { rk throws(KafkaError) in
            try RdKafkaErrors.check(taking: rd_kafka_commit_transaction(rk, timeoutMs))
        }
    }

    func abortTransaction(timeoutMs: Int32) throws(KafkaError) {
        try withHandle { rk throws(KafkaError) in
            try RdKafkaErrors.check(taking: rd_kafka_abort_transaction(rk, timeoutMs))
        }
    }
}
