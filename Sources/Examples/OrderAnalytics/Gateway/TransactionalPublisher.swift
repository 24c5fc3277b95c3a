import Logging
import StreamKitKafka
import Synchronization

/// Writes the gateway's records through one idempotent, transactional producer, many requests per transaction.
///
/// Requests queue up; one writer task takes everything queued (at most `maxBatch`), produces it inside one
/// transaction, waits for the delivery reports and commits. Each request is answered only after the commit, with
/// where its record landed. A failed transaction is aborted and every request in it gets the error: none of its
/// records become visible to `read_committed` consumers, so the client's retry writes them once.
///
/// Group commit keeps the cost of a transaction (a round trip to the coordinator) shared by every request that
/// arrived while the previous one was committing.
final class TransactionalPublisher: Sendable {
    private typealias Pending = (
        message: KafkaProducerMessage, reply: CheckedContinuation<KafkaDeliveryReport, any Error>
    )

    private let producer: KafkaProducer
    private let maxBatch: Int
    private let logger: Logger
    private let queue = Mutex<(pending: [Pending], isClosed: Bool)>(([], false))
    private let wakes: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// Makes the producer and registers its transactional id (fencing an older instance with the same id).
    ///
    /// - Throws: `KafkaError` naming the property for bad configuration, or from `initTransactions`.
    init(configuration: KafkaConfiguration, transactionalID: String, maxBatch: Int = 500, logger: Logger)
        async throws
    {
        var configuration = configuration
        configuration.transactionalID = transactionalID
        configuration.properties["enable.idempotence"] = "true"
        configuration.properties["acks"] = "all"
        producer = try KafkaProducer(configuration: configuration)
        try await producer.initTransactions()
        self.maxBatch = maxBatch
        self.logger = logger
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Produces `message` in the next transaction and returns once that transaction is committed.
    ///
    /// - Throws: `KafkaError` when the transaction failed (it was aborted: nothing of it is visible), or
    ///   `CancellationError` once the publisher is closed.
    func publish(_ message: KafkaProducerMessage) async throws -> KafkaDeliveryReport {
        try await withCheckedThrowingContinuation { reply in
            let isClosed = queue.withLock { queue in
                if !queue.isClosed { queue.pending.append((message, reply)) }
                return queue.isClosed
            }
            if isClosed { reply.resume(throwing: CancellationError()) } else { wake.yield() }
        }
    }

    /// Runs the writer until `close()`, then writes what is still queued.
    func run() async {
        for await _ in wakes {
            while true {
                let batch = queue.withLock { queue in
                    let count = min(queue.pending.count, maxBatch)
                    defer { queue.pending.removeFirst(count) }
                    return Array(queue.pending.prefix(count))
                }
                if batch.isEmpty { break }
                await write(batch)
            }
        }
    }

    /// Stops taking requests; `run()` returns after writing the ones already queued.
    func close() {
        queue.withLock { $0.isClosed = true }
        wake.finish()
    }

    private func write(_ batch: [Pending]) async {
        do {
            try producer.beginTransaction()
            let reports = try await withThrowingTaskGroup(of: (Int, KafkaDeliveryReport).self) { group in
                for (index, pending) in batch.enumerated() {
                    group.addTask { [producer] in (index, try await producer.send(pending.message)) }
                }
                var reports = [KafkaDeliveryReport?](repeating: nil, count: batch.count)
                for try await (index, report) in group { reports[index] = report }
                return reports
            }
            try await commit()
            for (pending, report) in zip(batch, reports) { pending.reply.resume(returning: report!) }
        } catch {
            logger.warning("transaction aborted", metadata: ["records": "\(batch.count)", "error": "\(error)"])
            do {
                try await producer.abortTransaction()
            } catch {
                logger.error("abort failed", metadata: ["error": "\(error)"])
            }
            for pending in batch { pending.reply.resume(throwing: error) }
        }
    }

    /// Commits, calling again while the error says a retry may succeed.
    private func commit() async throws(KafkaError) {
        var attempt = 1
        while true {
            do {
                return try await producer.commitTransaction()
            } catch  where error.isRetriable && attempt < 3 {
                attempt += 1
            }
        }
    }
}
