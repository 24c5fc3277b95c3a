import ArgumentParser
import ExampleSupport

/// `order-analytics gateway`: the HTTP gateway alone.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Serve POST /api/v1/orders and POST /api/v1/product-views into order_events and product_views.",
        discussion: """
            Bodies are validated (400 for malformed JSON, a missing field or a wrong type; 422 for a \
            non-positive quantity, a negative price or a total that does not match Σ quantity × price), with a \
            JSON error body naming the field: {"error": "…", "field": "items[0].quantity"}. Accepted records are \
            written by an idempotent, transactional producer and answered 202 after the commit. A retried order \
            (same order_id and body) is answered 202 with "duplicate": true and not written again, as long as \
            its id is among the last --idempotency-capacity accepted ones; the same order_id with another body \
            is 409. GET /health answers 200 while it serves. SIGTERM or SIGINT stops it after answering the \
            requests in flight.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var logging: LoggingOptions

    @Option(help: "Stop after this many seconds (default: run until SIGINT/SIGTERM).")
    var duration: Double?

    func validate() throws {
        if let duration, !(duration > 0) { throw ValidationError("--duration must be a positive number of seconds") }
        _ = try pipeline.makeCodec(connection)
    }

    func run() async throws {
        // The gateway has no StreamKit app to report on; its own GET /health says it serves.
        let environment = try StageEnvironment(
            label: "order-analytics.gateway", connection: connection, pipeline: pipeline, logging: logging,
            operations: nil)
        let host = gateway.host
        let stack = try await GatewayStack.make(environment, options: gateway) { port in
            Console.line("gateway listening on http://\(host):\(port)")
        }
        Console.line(environment.banner("gateway"))
        try await environment.runner.run([stack], reporting: nil, stoppingAfter: duration.map { .seconds($0) })
        Console.line("gateway stopped")
    }
}
