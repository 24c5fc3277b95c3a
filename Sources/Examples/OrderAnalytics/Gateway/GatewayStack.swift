import Hummingbird
import Logging
import ServiceLifecycle
import StreamKitKafka

/// A gateway ready to serve: the transactional publisher and the HTTP server around `OrderGateway`.
struct GatewayStack: Sendable {
    let publisher: TransactionalPublisher
    /// Runs the HTTP server; shuts it down gracefully on SIGINT/SIGTERM.
    let services: ServiceGroup

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
        let services = ServiceGroup(
            configuration: .init(
                services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: environment.logger))
        return GatewayStack(publisher: publisher, services: services)
    }

    /// Serves until SIGINT/SIGTERM or cancellation, both of which shut the server down gracefully (requests in
    /// flight are answered), then writes what the publisher still holds.
    func run() async throws {
        let publisher = publisher
        let services = services
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await publisher.run() }
            // Unstructured, so that cancelling this task does not cancel the server outright: the handler turns
            // it into a graceful shutdown.
            let serving = Task { try await services.run() }
            try await withTaskCancellationHandler {
                try await serving.value
            } onCancel: {
                Task { await services.triggerGracefulShutdown() }
            }
            publisher.close()
            try await group.waitForAll()
        }
    }
}
