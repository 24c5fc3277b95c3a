import Logging
import ServiceLifecycle
import StreamKitKafka

/// A gateway ready to serve, as a `Service`: the transactional publisher and the HTTP server around
/// `OrderGateway`.
struct GatewayStack: Service {
    let publisher: TransactionalPublisher
    /// The Hummingbird application; it stops taking requests at graceful shutdown and answers those in flight.
    let server: any Service

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

    /// Serves until the graceful shutdown of its group (requests in flight are answered), then writes what the
    /// publisher still holds.
    func run() async throws {
        let publisher = publisher
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await publisher.run() }
            do {
                try await server.run()
            } catch {
                publisher.close()
                throw error
            }
            publisher.close()
            try await group.waitForAll()
        }
    }
}
