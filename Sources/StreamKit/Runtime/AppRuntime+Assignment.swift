import Logging

extension AppRuntime {
    /// Applies an assignment change; returns the partitions it sought to offsets stored by sinks.
    func handle(_ event: AssignmentEvent) async throws -> Set<TopicPartition> {
        // The checkpoint in flight covers the partitions as owned before this change: it completes first, without
        // anything of lost partitions (another member may own them already).
        if case .lost(let partitions) = event {
            inFlight?.drop(tasks: Set(partitions.map(\.partition)))
        }
        try await finishCheckpointInFlight()
        switch event {
        case .revoked(let partitions):
            try await revoke(partitions)
            return []
        case .lost(let partitions):
            try await lose(partitions)
            return []
        case .assigned(let partitions):
            return try await assign(partitions)
        }
    }

    /// An orderly revoke: the records of these partitions not yet processed were never handed out; what was
    /// processed is checkpointed while this instance still owns the partitions (outputs flushed, changelogs
    /// written, offsets or the transaction committed), then their tasks go and the partitions are released. The
    /// next owner starts exactly after the last record processed here.
    private func revoke(_ partitions: [TopicPartition]) async throws {
        try await checkpoint()
        // A partition paused for time alignment is handed over unpaused.
        if let paused = alignment?.forget(partitions), !paused.isEmpty { try consumer.resume(paused) }
        try await dropTasks(of: partitions)
        try await consumer.release(partitions)
        logPartitions("partitions checkpointed and released", partitions)
    }

    /// Partitions taken away without an orderly revoke: another member may already process them, so nothing of
    /// theirs is committed. Under exactly-once the open transaction holds their work and is aborted; the
    /// partitions still owned go back to their last commit.
    private func lose(_ partitions: [TopicPartition]) async throws {
        logger.warning(
            "partitions lost (the group moved on without this instance); their uncommitted work is dropped",
            metadata: ["partitions": "\(partitions)"])
        // Already unassigned; only the pause is cleared, so that they are not paused if they come back.
        if let paused = alignment?.forget(partitions), !paused.isEmpty { try? consumer.resume(paused) }
        if isExactlyOnce {
            forget(partitions)
            try await producer.abortTransaction()
            try await rewindToLastCommit()
            try await producer.beginTransaction()
        } else {
            // Outputs already sent stay (at-least-once); changelogs and offsets not yet written are dropped.
            try await dropTasks(of: partitions)
        }
    }

    /// Restores the state of newly assigned partitions from their changelogs, then seeks to offsets stored by
    /// sinks (at-least-once); a backtest takes their end offsets.
    private func assign(_ partitions: [TopicPartition]) async throws -> Set<TopicPartition> {
        assigned.formUnion(partitions)
        let owned = assigned
        status.update {
            $0.assignedPartitions = owned.sorted()
            $0.isRestored = false
        }
        // A task serves every partition with its number; one that already runs for another topic is rebuilt, so
        // that the state of the newly assigned partition comes from its changelog, not from an earlier tenure.
        let numbers = Set(partitions.map(\.partition))
        let running = numbers.filter { engine.tasks[$0] != nil }
        if !running.isEmpty {
            try await checkpoint()
            for number in running { engine.removeTask(partition: number) }
        }
        for number in numbers.sorted() { try await installTask(number) }
        try await readAgain(assigned.filter { running.contains($0.partition) && !partitions.contains($0) }.sorted())
        // A repartition partition that comes here (again) starts without its upstreams' watermarks: the `keyBy`
        // stages of this instance tell them again (`StreamTime`).
        if partitions.contains(where: { engine.repartitionTopics.contains($0.topic) }) { engine.announceWatermarks() }
        var sought: Set<TopicPartition> = []
        for sink in app.graph.sinks {
            let stored = try await sink.storedOffsets(for: partitions) ?? [:]
            // Under exactly-once the transaction's offsets are the ones that match the restored changelogs. A
            // database sink commits before that transaction, so its offsets are never behind them, and seeking
            // there would skip records the restored state has not seen; the sink skips the values it already
            // stored instead.
            guard !isExactlyOnce else { continue }
            for (partition, offset) in stored {
                try consumer.seek(partition, to: offset)
                sought.insert(partition)
                logger.info(
                    "resuming from the offset stored by a sink",
                    metadata: [
                        "topic": "\(partition.topic)", "partition": "\(partition.partition)", "offset": "\(offset)",
                        "sink": "\(sink.name)",
                    ])
            }
        }
        if backtest != nil {
            backtest!.setTargets(try await consumer.endOffsets(for: partitions))
        }
        await measureLag()
        status.update {
            $0.isRestored = true
            if $0.phase == .starting { $0.phase = .running }
        }
        logPartitions("partitions assigned and restored", partitions)
        return sought
    }

    /// Removes the tasks of `partitions` (already checkpointed or to be dropped) and forgets the partitions. A task
    /// that still serves an owned partition of another topic is rebuilt from the changelogs, and those partitions
    /// read again from their committed offsets.
    private func dropTasks(of partitions: [TopicPartition]) async throws {
        forget(partitions)
        let numbers = Set(partitions.map(\.partition))
        for number in numbers { engine.removeTask(partition: number) }
        let kept = assigned.filter { numbers.contains($0.partition) }
        guard !kept.isEmpty else { return }
        for number in Set(kept.map(\.partition)).sorted() { try await installTask(number) }
        try await readAgain(kept.sorted())
    }

    /// Reads owned partitions again from their committed offsets, after their task was rebuilt from the
    /// changelogs (the state of the last commit).
    private func readAgain(_ partitions: [TopicPartition]) async throws {
        guard !partitions.isEmpty else { return }
        try await consumer.rewind(partitions)
        backtest?.rewind(partitions)
    }

    /// Stops tracking `partitions` as owned.
    private func forget(_ partitions: [TopicPartition]) {
        assigned.subtract(partitions)
        backtest?.forget(partitions)
        metrics.forgetLag(of: partitions)
        let owned = assigned
        status.update {
            $0.assignedPartitions = owned.sorted()
            $0.lag = $0.lag.filter { owned.contains($0.key) }
            $0.pausedForAlignment.removeAll { !owned.contains($0) }
        }
    }

    /// After an aborted transaction: every task is rebuilt from the changelogs and every owned partition reads
    /// again from its committed offset, so the state and the positions are those of the last commit.
    func rewindToLastCommit() async throws {
        _ = engine.drainOutputs()
        _ = try engine.drainChangelogs(now: .now)
        _ = engine.drainCounters()
        for number in Array(engine.tasks.keys) { engine.removeTask(partition: number) }
        var numbers = Set(assigned.map(\.partition))
        if !app.graph.asyncSources.isEmpty { numbers.insert(0) }
        for number in numbers.sorted() { try await installTask(number) }
        try await readAgain(assigned.sorted())
    }

    /// Aborts the open transaction that could not commit and goes back to the last commit; the app carries on.
    func recoverFromAbortedTransaction(_ error: StreamAppError) async throws {
        logger.warning(
            "transaction aborted; processing again from the last commit", metadata: ["reason": "\(error.message)"])
        try await producer.abortTransaction()
        try await rewindToLastCommit()
    }

    /// Builds the task of a partition number, restores its stores from their changelogs, installs it.
    func installTask(_ number: Int) async throws {
        guard engine.tasks[number] == nil else { return }
        let restore = TaskRestore(engine: engine, partition: number)
        for changelog in restore.changelogs {
            var records = 0
            try await app.broker.readToEnd(changelog.partition) { view in
                try restore.replay(view, into: changelog.store)
                records += 1
            }
            logger.debug(
                "state restored",
                metadata: [
                    "store": "\(changelog.store)", "topic": "\(changelog.partition.topic)", "partition": "\(number)",
                    "records": "\(records)",
                ])
        }
        restore.install()
    }

    /// Logs partitions at `.info`, one line per topic.
    func logPartitions(_ message: Logger.Message, _ partitions: [TopicPartition]) {
        let byTopic = Dictionary(grouping: partitions, by: \.topic)
        for topic in byTopic.keys.sorted() {
            logger.info(
                message,
                metadata: ["topic": "\(topic)", "partitions": "\(byTopic[topic]!.map(\.partition).sorted())"])
        }
    }
}
