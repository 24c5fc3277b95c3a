internal import CRdKafka

extension RdKafkaClient {
    /// Creates the topics and waits for the controller's answer (blocks). Returns per-topic errors.
    func createTopics(_ specifications: [KafkaTopicSpecification], timeoutMs: Int32) throws(KafkaError) -> [KafkaError?]
    {
        var errstr = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        for specification in specifications {
            guard
                let topic = rd_kafka_NewTopic_new(
                    specification.name, Int32(clamping: specification.partitions),
                    Int32(clamping: specification.replicationFactor), &errstr, errstr.count)
            else { throw KafkaError(code: .invalidArgument, reason: rdKafkaString(errstr), topic: specification.name) }
            newTopics.append(topic)
            for name in specification.configs.keys.sorted() {
                try RdKafkaErrors.check(
                    rd_kafka_NewTopic_set_config(topic, name, specification.configs[name]), "topic config \(name)")
            }
        }
        let queue = RdKafkaQueue.new(for: self)
        let event: OpaquePointer? = withHandle { rk in
            let options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS)
            defer { rd_kafka_AdminOptions_destroy(options) }
            _ = rd_kafka_AdminOptions_set_request_timeout(options, timeoutMs, &errstr, errstr.count)
            _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMs, &errstr, errstr.count)
            return queue.withQueue { queue in
                rd_kafka_CreateTopics(rk, &newTopics, newTopics.count, options, queue)
                // The request itself times out after `timeoutMs`; the extra second only bounds a lost answer.
                return rd_kafka_queue_poll(queue, timeoutMs + 1_000)
            }
        }
        guard let event else {
            throw KafkaError(code: .timedOut, reason: "no answer to CreateTopics", isRetriable: true)
        }
        defer { rd_kafka_event_destroy(event) }
        if let error = RdKafkaErrors.error(
            rd_kafka_event_error(event), reason: rd_kafka_event_error_string(event).map { String(cString: $0) })
        {
            throw error
        }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count)
        else {
            return []
        }
        var errors: [KafkaError?] = Array(repeating: nil, count: specifications.count)
        for index in 0..<count {
            let result = results[index]
            let name = String(cString: rd_kafka_topic_result_name(result))
            let reason = rd_kafka_topic_result_error_string(result).map { String(cString: $0) }
            if let position = specifications.firstIndex(where: { $0.name == name }) {
                errors[position] = RdKafkaErrors.error(rd_kafka_topic_result_error(result), reason: reason, topic: name)
            }
        }
        return errors
    }

    /// Fetches metadata for all topics from a broker (blocks) and copies it.
    func topicMetadata(timeoutMs: Int32) throws(KafkaError) -> [KafkaTopicMetadata] {
        var metadata: UnsafePointer<rd_kafka_metadata_t>?
        try withHandle { rk throws(KafkaError) in
            try RdKafkaErrors.check(rd_kafka_metadata(rk, 1, nil, &metadata, timeoutMs), "metadata")
        }
        guard let metadata else { return [] }
        defer { rd_kafka_metadata_destroy(metadata) }
        return (0..<Int(metadata.pointee.topic_cnt)).compactMap { index in
            let topic = metadata.pointee.topics[index]
            guard topic.err == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
            let partitions = (0..<Int(topic.partition_cnt)).map { index in
                let partition = topic.partitions[index]
                return KafkaTopicMetadata.Partition(
                    id: Int(partition.id), leader: Int(partition.leader),
                    replicas: (0..<Int(partition.replica_cnt)).map { Int(partition.replicas[$0]) },
                    inSyncReplicas: (0..<Int(partition.isr_cnt)).map { Int(partition.isrs[$0]) })
            }
            return KafkaTopicMetadata(
                name: String(cString: topic.topic), partitions: partitions.sorted { $0.id < $1.id })
        }
    }
}
