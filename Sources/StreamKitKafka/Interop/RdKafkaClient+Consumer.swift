internal import CRdKafka

extension RdKafkaClient {
    func subscribe(to topics: [String]) throws(KafkaError) {
        let list = RdKafkaTopicPartitionList(capacity: topics.count)
        for topic in topics { list.add(KafkaTopicPartition(topic: topic, partition: -1)) }
        try withHandle { rk throws(KafkaError) in
            try list.withList { list throws(KafkaError) in
                try RdKafkaErrors.check(rd_kafka_subscribe(rk, list), "subscribe")
            }
        }
    }

    /// The topics subscribed to; empty for a consumer of assigned partitions.
    func subscription() throws(KafkaError) -> [String] {
        try withHandle { rk throws(KafkaError) in
            var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
            try RdKafkaErrors.check(rd_kafka_subscription(rk, &list), "subscription")
            guard let list else { return [] }
            return RdKafkaTopicPartitionList(taking: list).entries.map(\.topicPartition.topic)
        }
    }

    func unsubscribe() throws(KafkaError) {
        try withHandle { rk throws(KafkaError) in try RdKafkaErrors.check(rd_kafka_unsubscribe(rk), "unsubscribe") }
    }

    /// Replaces the assignment (`nil` unassigns everything).
    func assign(_ offsets: [(KafkaTopicPartition, Int64)]?) throws(KafkaError) {
        try withHandle { rk throws(KafkaError) in
            guard let offsets else { return try RdKafkaErrors.check(rd_kafka_assign(rk, nil), "unassign") }
            try RdKafkaTopicPartitionList(offsets).withList { list throws(KafkaError) in
                try RdKafkaErrors.check(rd_kafka_assign(rk, list), "assign")
            }
        }
    }

    func assignment() throws(KafkaError) -> [KafkaTopicPartition] {
        try withHandle { rk throws(KafkaError) in
            var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
            try RdKafkaErrors.check(rd_kafka_assignment(rk, &list), "assignment")
            guard let list else { return [] }
            return RdKafkaTopicPartitionList(taking: list).entries.map(\.topicPartition)
        }
    }

    /// Commits `offsets` (each the next offset to read) and blocks until the coordinator answers.
    func commit(_ offsets: [(KafkaTopicPartition, Int64)]) throws(KafkaError) {
        let list = RdKafkaTopicPartitionList(offsets)
        try withHandle { rk throws(KafkaError) in
            try RdKafkaErrors.check(list.withList { rd_kafka_commit(rk, $0, 0) }, "commit")
            if let failed = list.entries.first(where: { $0.error != nil }) { throw failed.error! }
        }
    }

    /// The group's committed offsets; `KafkaOffset.invalid` where nothing is committed. Blocks.
    func committed(_ partitions: [KafkaTopicPartition], timeoutMs: Int32) throws(KafkaError) -> [RdKafkaPartitionEntry]
    {
        let list = RdKafkaTopicPartitionList(partitions.map { ($0, KafkaOffset.invalid.rawValue) })
        try withHandle { rk throws(KafkaError) in
            try list.withList { list throws(KafkaError) in
                try RdKafkaErrors.check(rd_kafka_committed(rk, list, timeoutMs), "committed offsets")
            }
        }
        return list.entries
    }

    /// The next offset the application will read per partition; `KafkaOffset.invalid` before the first record.
    func position(_ partitions: [KafkaTopicPartition]) throws(KafkaError) -> [RdKafkaPartitionEntry] {
        let list = RdKafkaTopicPartitionList(partitions.map { ($0, KafkaOffset.invalid.rawValue) })
        try withHandle { rk throws(KafkaError) in
            try list.withList { list throws(KafkaError) in
                try RdKafkaErrors.check(rd_kafka_position(rk, list), "position")
            }
        }
        return list.entries
    }

    func pause(_ partitions: [KafkaTopicPartition], resume: Bool) throws(KafkaError) {
        let list = RdKafkaTopicPartitionList(partitions.map { ($0, KafkaOffset.invalid.rawValue) })
        try withHandle { rk throws(KafkaError) in
            let err = list.withList { resume ? rd_kafka_resume_partitions(rk, $0) : rd_kafka_pause_partitions(rk, $0) }
            try RdKafkaErrors.check(err, resume ? "resume" : "pause")
        }
        if let failed = list.entries.first(where: { $0.error != nil }) { throw failed.error! }
    }

    /// Moves the fetch positions of assigned partitions; blocks until done when `timeoutMs` > 0.
    func seek(_ offsets: [(KafkaTopicPartition, Int64)], timeoutMs: Int32) throws(KafkaError) {
        let list = RdKafkaTopicPartitionList(offsets)
        try withHandle { rk throws(KafkaError) in
            try RdKafkaErrors.check(taking: list.withList { rd_kafka_seek_partitions(rk, $0, timeoutMs) })
        }
        if let failed = list.entries.first(where: { $0.error != nil }) { throw failed.error! }
    }

    /// Asks the partition leader for the low and high watermarks. Blocks.
    func watermarks(of topicPartition: KafkaTopicPartition, timeoutMs: Int32) throws(KafkaError) -> (
        low: Int64, high: Int64
    ) {
        var low: Int64 = 0
        var high: Int64 = 0
        let err = withHandle { rk in
            rd_kafka_query_watermark_offsets(
                rk, topicPartition.topic, Int32(topicPartition.partition), &low, &high, timeoutMs)
        }
        if let error = RdKafkaErrors.error(err, topic: topicPartition.topic, partition: topicPartition.partition) {
            throw error
        }
        return (low, high)
    }

    /// The high watermark of the partition's last fetch response, without a request; `nil` before the first.
    func lastFetchedHighWatermark(of topicPartition: KafkaTopicPartition) -> Int64? {
        var low: Int64 = 0
        var high: Int64 = 0
        let err = withHandle { rk in
            rd_kafka_get_watermark_offsets(rk, topicPartition.topic, Int32(topicPartition.partition), &low, &high)
        }
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { return nil }
        return high
    }

    /// Leaves the group after a final revoke and stops fetching. Blocks.
    func closeConsumer() throws(KafkaError) {
        try withHandle { rk throws(KafkaError) in try RdKafkaErrors.check(rd_kafka_consumer_close(rk), "close") }
    }

    /// The serialised consumer group metadata for `sendOffsetsToTransaction`.
    func groupMetadata() throws(KafkaError) -> [UInt8] {
        try withHandle { rk throws(KafkaError) in
            guard let metadata = rd_kafka_consumer_group_metadata(rk) else {
                throw KafkaError(code: .invalidState, reason: "the consumer has no group metadata (is group.id set?)")
            }
            defer { rd_kafka_consumer_group_metadata_destroy(metadata) }
            var buffer: UnsafeMutableRawPointer?
            var size = 0
            try RdKafkaErrors.check(taking: rd_kafka_consumer_group_metadata_write(metadata, &buffer, &size))
            defer { rd_kafka_mem_free(nil, buffer) }
            return Array(UnsafeRawBufferPointer(start: buffer, count: size))
        }
    }
}
