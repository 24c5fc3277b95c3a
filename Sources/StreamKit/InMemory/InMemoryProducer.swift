/// A producer on the in-memory broker. A transactional one buffers its records and appends them, with
/// the offsets it commits, atomically at `commitTransaction`.
final class InMemoryProducer: BrokerProducer {
    private let broker: InMemoryBroker
    private let isTransactional: Bool
    private var transaction: [RawRecord]?

    init(broker: InMemoryBroker, isTransactional: Bool) {
        self.broker = broker
        self.isTransactional = isTransactional
    }

    func send(_ record: RawRecord) throws {
        if isTransactional {
            guard transaction != nil else {
                throw StreamAppError(.io, "send outside a transaction on a transactional producer")
            }
            transaction!.append(record)
        } else {
            broker.append(record)
        }
    }

    func flush() async throws {}

    func beginTransaction() async throws {
        guard isTransactional else { throw StreamAppError(.configuration, "producer is not transactional") }
        transaction = []
    }

    func commitTransaction(offsets: [TopicPartition: Int64], consumer: any BrokerConsumer) async throws {
        guard let records = transaction, let consumer = consumer as? InMemoryConsumer else {
            throw StreamAppError(.io, "no open transaction, or a consumer of another broker")
        }
        broker.state.withLock { state in
            for record in records { _ = state.append(record) }
            state.committed[consumer.group, default: [:]].merge(offsets) { _, new in new }
        }
        transaction = nil
    }

    func abortTransaction() async throws {
        transaction = nil
    }

    func close() async throws {}
}
