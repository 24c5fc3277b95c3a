import Logging

extension AppRuntime {
    /// Checkpoints when a sink is backpressured (with fetching paused meanwhile), or when the policy's record
    /// count or interval is reached.
    ///
    /// At least once, sink writes overlap with processing. A checkpoint that comes due while the last one's writes
    /// still run waits for them only when a sink is backpressured; otherwise processing goes on and the checkpoint
    /// follows on the first turn after they ended. So batches grow while the database is busy and shrink when it
    /// is quick, and the loop never waits for a write a bounded buffer does not force it to.
    func checkpointIfDue(_ progress: inout Progress, now: Duration) async throws {
        // Writes that ended are committed at once: the less there is to read again after a crash.
        if inFlight?.isBusy == false { try await finishCheckpointInFlight() }
        let overlapping = !isExactlyOnce
        if app.graph.sinks.contains(where: \.isBackpressured) {
            // A sink that cannot keep up: stop fetching, checkpoint (which waits for the write in flight and
            // hands the sink its batch with the offsets it covers), go on. No unbounded buffering.
            let partitions = assigned.sorted()
            try consumer.pause(partitions)
            try await checkpoint(overlappingSinkWrites: overlapping)
            try consumer.resume(partitions.filter { alignment?.paused.contains($0) != true })
        } else if progress.sinceCheckpoint < app.checkpointPolicy.records
            && now - progress.lastCheckpoint < app.checkpointPolicy.interval
        {
            return
        } else if inFlight?.isBusy == true {
            return
        } else {
            try await checkpoint(overlappingSinkWrites: overlapping)
        }
        progress.sinceCheckpoint = 0
        progress.lastCheckpoint = elapsed
    }

    /// Flushes the sinks and the producer, writes the changelogs, then commits the offsets of the owned partitions
    /// (``Checkpoint``). Under exactly-once the commit is the transaction's; one that must be aborted is aborted
    /// and the records since the last commit are processed again (``recoverFromAbortedTransaction(_:)``).
    ///
    /// A checkpoint still in flight finishes first. With `overlappingSinkWrites` (at least once only), sinks that
    /// can write in the background do, and this checkpoint stays in flight until ``finishCheckpointInFlight()``:
    /// its changelogs and offsets follow the writes. Without, everything is done when this returns.
    func checkpoint(overlappingSinkWrites: Bool = false) async throws {
        try await finishCheckpointInFlight()
        let began = ContinuousClock.now
        failures.flush(to: logger)
        if let metadata = pendingMetadata {
            try producer.send(metadata)
            pendingMetadata = nil
        }
        let offsets = engine.nextOffsets.filter { assigned.contains($0.key) }
        let sequence = Checkpoint(offsets: offsets, group: app.name)
        if isExactlyOnce {
            var isCommitted = false
            do {
                try await sequence.flush(engine: engine, sinks: app.graph.sinks, producer: producer, metrics: metrics)
                try await producer.commitTransaction(offsets: offsets, consumer: consumer)
                isCommitted = true
            } catch let error as StreamAppError where error.code == .transactionAborted {
                try await recoverFromAbortedTransaction(error)
            }
            try await producer.beginTransaction()
            // After an abort the records since the last commit are read again: nothing may be purged.
            await committed(isCommitted ? offsets : [:], began: began)
        } else {
            let pending = try await sequence.start(
                engine: engine, sinks: app.graph.sinks, producer: producer, metrics: metrics,
                overlapping: overlappingSinkWrites)
            if pending.isWriting {
                inFlight = pending
            } else {
                try await finish(pending)
            }
        }
    }

    /// Waits for the sink writes of the checkpoint in flight, then writes its changelogs and commits its offsets.
    /// Runs before anything that needs the last checkpoint done: the next checkpoint, an assignment change, the end.
    func finishCheckpointInFlight() async throws {
        guard let pending = inFlight else { return }
        inFlight = nil
        try await finish(pending)
    }

    /// Lets the sink writes in flight end when the app stops on a failure, so that none runs on after `run()`
    /// returns; nothing of that checkpoint is committed.
    func abandonCheckpointInFlight() async {
        guard let pending = inFlight else { return }
        inFlight = nil
        _ = await pending.writes?.result
    }

    /// Finishes an at-least-once checkpoint: the rest of its flush, then the consumer's commit.
    private func finish(_ pending: PendingCheckpoint) async throws {
        try await pending.finish(producer: producer, metrics: metrics)
        // Assignment changes finish the checkpoint in flight first (without lost partitions), so every partition is
        // still owned; the filter only makes sure no commit ever names one that is not.
        let offsets = pending.offsets.filter { assigned.contains($0.key) }
        do {
            try await consumer.commit(offsets)
        } catch let error as StreamAppError where error.code == .commitRefused {
            logger.notice(
                "commit refused: the group rebalanced without this instance; the next owners read these partitions again from the offsets committed before",
                metadata: ["reason": "\(error.message)"])
            return
        }
        await committed(offsets, began: pending.began)
    }

    /// What follows a commit: the purge of consumed repartition records and the checkpoint metric.
    private func committed(_ offsets: [TopicPartition: Int64], began: ContinuousClock.Instant) async {
        await purgeRepartitionTopics(below: offsets)
        let duration = began.duration(to: .now)
        metrics.recordCheckpoint(duration: duration, storeSizes: engine.storeSizes)
        logger.trace("checkpoint", metadata: ["partitions": "\(offsets.count)", "duration": "\(duration)"])
    }

    /// Deletes the repartition records below the offsets just committed, as Kafka Streams purges them: the topics
    /// keep no time retention (records carry their event time), so without this they would grow for ever. At most
    /// every few seconds; a failed purge is logged and loses nothing.
    private func purgeRepartitionTopics(below committed: [TopicPartition: Int64]) async {
        guard elapsed - lastPurge >= Self.purgeInterval else { return }
        let purgeable = committed.filter { engine.repartitionTopics.contains($0.key.topic) }
        guard !purgeable.isEmpty else { return }
        lastPurge = elapsed
        do {
            try await app.broker.deleteRecords(before: purgeable)
        } catch {
            logger.notice("could not purge consumed repartition records", metadata: ["error": "\(error)"])
        }
    }
}
