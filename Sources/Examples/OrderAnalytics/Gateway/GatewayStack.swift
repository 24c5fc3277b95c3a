import Hummingbird
import Logging
import StreamKitKafka

/// A gateway ready to serve: the transactional publisher and the HTTP server around `OrderGateway`.
struct GatewayStack {
    let publisher: TransactionalPublisher
    let server: any ApplicationProtocol

    /// Creates the gateway's topics when missing, registers its Avro schemas and starts its producer.
    ///
    /// - Parameter onListening: Gets the bound port once the server is up.
    static func make(
        _ environment: StageEnvironment, options: GatewayOptions, onListening: @escaping @Sendable (Int) -> Void
    ) async throws -> GatewayStack {
        let topics = environment.pipeline.topics
        let codec = environment.codec
        try await environment.createTopics([topics.orderEvents, topics.productViews])
        try await codec.registerWriterSchemas([
            (codec.orderEventSchema, topics.orderEvents), (codec.productViewSchema, topics.productViews),
        ])
        let publisher = try await TransactionalPublisher(
            configuration: environment.broker.configuration,
            transactionalID: options.transactionalId
                ?? "\(environment.pipeline.applicationID("gateway"))-\(options.port)",
            logger: environment.logger)
        let gateway = OrderGateway(
            topics: topics,
            orderSerde: codec.serde(OrderEvent.self, schema: codec.orderEventSchema, topic: topics.orderEvents),
            viewSerde: codec.serde(ProductView.self, schema: codec.productViewSchema, topic: topics.productViews),
            publisher: publisher, cache: IdempotencyCache(capacity: options.idempotencyCapacity))
        let server = GatewayServer.make(
            gateway, host: options.host, port: options.port, logger: environment.logger, onListening: onListening)
        return GatewayStack(publisher: publisher, server: server)
    }

    /// Serves until SIGINT/SIGTERM (a graceful shutdown), cancellation or `limit`, then writes what is queued.
    func run(for limit: Duration? = nil) async throws {
        let publisher = publisher
        let server = server
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await publisher.run() }
            await withThrowingTaskGroup(of: Void.self) { serving in
                serving.addTask { try await server.runService() }
                if let limit { serving.addTask { try await Task.sleep(for: limit) } }
                // Whichever ends first ends serving: a signal, the time limit, or cancellation.
                _ = try? await serving.next()
                serving.cancelAll()
            }
            publisher.close()
            try await group.waitForAll()
        }
    }
}
