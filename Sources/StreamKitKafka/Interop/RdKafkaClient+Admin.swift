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
        return try adminRequest(RD_KAFKA_ADMIN_OP_CREATETOPICS, "CreateTopics", timeoutMs: timeoutMs) {
            rd_kafka_CreateTopics($0, &newTopics, newTopics.count, $1, $2)
        } read: { event in
            Self.createTopicsErrors(event, specifications)
        }
    }

    private static func createTopicsErrors(_ event: OpaquePointer, _ specifications: [KafkaTopicSpecification])
        -> [KafkaError?]
    {
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

// MARK: - Topic configurations and record deletion

extension RdKafkaClient {
    /// Describes the configurations of topics (DescribeConfigs; blocks): per topic, its configuration or the
    /// broker's error for it (e.g. unknown topic).
    func describeTopicConfigurations(_ topics: [String], timeoutMs: Int32) throws(KafkaError)
        -> [String: Result<KafkaTopicConfiguration, KafkaError>]
    {
        var resources: [OpaquePointer?] = topics.map { rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, $0) }
        defer { for resource in resources { rd_kafka_ConfigResource_destroy(resource) } }
        return try adminRequest(RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, "DescribeConfigs", timeoutMs: timeoutMs) {
            rd_kafka_DescribeConfigs($0, &resources, resources.count, $1, $2)
        } read: { event in
            var count = 0
            guard
                let results = rd_kafka_DescribeConfigs_result_resources(
                    rd_kafka_event_DescribeConfigs_result(event), &count)
            else { return [:] }
            var configurations: [String: Result<KafkaTopicConfiguration, KafkaError>] = [:]
            for index in 0..<count {
                guard let resource = results[index] else { continue }
                let name = String(cString: rd_kafka_ConfigResource_name(resource))
                if let error = RdKafkaErrors.error(
                    rd_kafka_ConfigResource_error(resource),
                    reason: rd_kafka_ConfigResource_error_string(resource).map { String(cString: $0) }, topic: name)
                {
                    configurations[name] = .failure(error)
                } else {
                    configurations[name] = .success(Self.configuration(of: resource, topic: name))
                }
            }
            return configurations
        }
    }

    private static func configuration(of resource: OpaquePointer, topic: String) -> KafkaTopicConfiguration {
        var count = 0
        var entries: [String: KafkaTopicConfiguration.Entry] = [:]
        if let configs = rd_kafka_ConfigResource_configs(resource, &count) {
            for index in 0..<count {
                guard let entry = configs[index] else { continue }
                entries[String(cString: rd_kafka_ConfigEntry_name(entry))] = KafkaTopicConfiguration.Entry(
                    value: rd_kafka_ConfigEntry_value(entry).map { String(cString: $0) },
                    isDefault: rd_kafka_ConfigEntry_is_default(entry) == 1,
                    isReadOnly: rd_kafka_ConfigEntry_is_read_only(entry) == 1,
                    isSensitive: rd_kafka_ConfigEntry_is_sensitive(entry) == 1)
            }
        }
        return KafkaTopicConfiguration(topic: topic, entries: entries)
    }

    /// Deletes the records of each partition below its offset (DeleteRecords; blocks). Returns, per partition,
    /// the low watermark after the deletion or the broker's error for it.
    func deleteRecords(before offsets: [KafkaTopicPartition: Int64], timeoutMs: Int32) throws(KafkaError)
        -> [RdKafkaPartitionEntry]
    {
        let list = RdKafkaTopicPartitionList(offsets.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        // librdkafka copies the list into the request object; one object carries every partition.
        var request: [OpaquePointer?] = [list.withList { rd_kafka_DeleteRecords_new($0) }]
        defer { rd_kafka_DeleteRecords_destroy_array(&request, request.count) }
        return try adminRequest(RD_KAFKA_ADMIN_OP_DELETERECORDS, "DeleteRecords", timeoutMs: timeoutMs) {
            rd_kafka_DeleteRecords($0, &request, request.count, $1, $2)
        } read: { event in
            RdKafkaTopicPartitionList.entries(
                of: rd_kafka_DeleteRecords_result_offsets(rd_kafka_event_DeleteRecords_result(event)))
        }
    }

    // MARK: - Requests

    /// Sends one admin request on a queue of its own and waits for its result (blocks): `send` gets the client, the
    /// request options (both timeouts set to `timeoutMs`) and the queue; `read` copies what it needs out of the
    /// result event, which is destroyed afterwards. A request-level error is thrown with librdkafka's text.
    private func adminRequest<R>(
        _ operation: rd_kafka_admin_op_t, _ name: String, timeoutMs: Int32,
        send: (OpaquePointer, OpaquePointer?, OpaquePointer) -> Void,
        read: (OpaquePointer) throws(KafkaError) -> R
    ) throws(KafkaError) -> R {
        var errstr = [CChar](repeating: 0, count: 512)
        let queue = RdKafkaQueue.new(for: self)
        let event: OpaquePointer? = withHandle { rk in
            let options = rd_kafka_AdminOptions_new(rk, operation)
            defer { rd_kafka_AdminOptions_destroy(options) }
            _ = rd_kafka_AdminOptions_set_request_timeout(options, timeoutMs, &errstr, errstr.count)
            // Not every request takes an operation timeout (DescribeConfigs does not); those ignore it.
            _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMs, &errstr, errstr.count)
            return queue.withQueue { queue in
                send(rk, options, queue)
                // The request itself times out after `timeoutMs`; the extra second only bounds a lost answer.
                return rd_kafka_queue_poll(queue, timeoutMs + 1_000)
            }
        }
        guard let event else {
            throw KafkaError(code: .timedOut, reason: "no answer to \(name)", isRetriable: true)
        }
        defer { rd_kafka_event_destroy(event) }
        if let error = RdKafkaErrors.error(
            rd_kafka_event_error(event), reason: rd_kafka_event_error_string(event).map { String(cString: $0) })
        {
            throw error
        }
        return try read(event)
    }
}
