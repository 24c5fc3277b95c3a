extension KafkaConsumer {
    /// Commits `offsets` for the group and waits for the coordinator's answer, on a Dispatch thread.
    ///
    /// Each offset is the *next* one to read: the last processed offset plus one.
    /// - Throws: ``KafkaError`` for the request or for the first partition that failed.
    public func commit(_ offsets: [KafkaTopicPartition: Int64]) async throws(KafkaError) {
        let list = Self.sorted(offsets)
        try await blockingRun { client throws(KafkaError) in try client.commit(list) }
    }

    /// The group's committed offsets for `partitions` (``KafkaOffset/invalid`` where none), asked of the
    /// coordinator on a Dispatch thread.
    public func committedOffsets(
        for partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10)
    ) async throws(KafkaError) -> [KafkaTopicPartition: KafkaOffset] {
        let entries = try await blockingRun { client throws(KafkaError) in
            try client.committed(partitions, timeoutMs: timeout.rdKafkaTimeout)
        }
        return try Self.offsets(entries)
    }

    /// The next offset this consumer will hand out per partition (``KafkaOffset/invalid`` before the first
    /// record). Local; no request.
    public func position(for partitions: [KafkaTopicPartition]) throws(KafkaError) -> [KafkaTopicPartition: KafkaOffset]
    {
        try Self.offsets(client.position(partitions))
    }

    /// The low and high watermarks of a partition (first retained offset, and one past the last), asked of the
    /// leader on a Dispatch thread. Under `read_committed` the high mark is the last stable offset.
    public func watermarks(
        for partition: KafkaTopicPartition, timeout: Duration = .seconds(10)
    ) async throws(KafkaError) -> (low: Int64, high: Int64) {
        try await blockingRun { client throws(KafkaError) in
            try client.watermarks(of: partition, timeoutMs: timeout.rdKafkaTimeout)
        }
    }

    /// Records not yet read per partition: the high watermark minus this consumer's position, or minus the
    /// committed offset before the first record, or minus the low watermark when nothing is committed either.
    /// Costs one watermark request per partition, plus one committed-offsets request.
    ///
    /// With `fetchedEnds`, a partition this consumer has a position in and has fetched from takes its high
    /// watermark from the last fetch response instead, which costs no request and no wait (it is at most a fetch
    /// old; under `read_committed` it is the high watermark, not the last stable offset, so it counts the records
    /// of open transactions too).
    public func lag(
        for partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10), fetchedEnds: Bool = false
    ) async throws(KafkaError) -> [KafkaTopicPartition: Int64] {
        let positions = try position(for: partitions)
        let unpositioned = partitions.filter { positions[$0]?.absolute == nil }
        let committed = unpositioned.isEmpty ? [:] : try await committedOffsets(for: unpositioned, timeout: timeout)
        var lag: [KafkaTopicPartition: Int64] = [:]
        for partition in partitions {
            if fetchedEnds, let next = positions[partition]?.absolute,
                let high = client.lastFetchedHighWatermark(of: partition)
            {
                lag[partition] = max(0, high - next)
                continue
            }
            let marks = try await watermarks(for: partition, timeout: timeout)
            let next = positions[partition]?.absolute ?? committed[partition]?.absolute ?? marks.low
            lag[partition] = max(0, marks.high - next)
        }
        return lag
    }

    private static func sorted(_ offsets: [KafkaTopicPartition: Int64]) -> [(KafkaTopicPartition, Int64)] {
        offsets.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    private static func offsets(_ entries: [RdKafkaPartitionEntry]) throws(KafkaError) -> [KafkaTopicPartition:
        KafkaOffset]
    {
        if let failed = entries.first(where: { $0.error != nil }) { throw failed.error! }
        var offsets: [KafkaTopicPartition: KafkaOffset] = [:]
        for entry in entries { offsets[entry.topicPartition] = KafkaOffset(rawValue: entry.offset) }
        return offsets
    }
}
