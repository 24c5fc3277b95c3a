import ArgumentParser

/// The flags of the HTTP gateway.
struct GatewayOptions: ParsableArguments, Sendable {
    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port, printed at start).")
    var port = 8080

    @Option(
        help: ArgumentHelp(
            "Order ids remembered for retries: a retried order_id among the last N is answered, not written again.",
            valueName: "N"))
    var idempotencyCapacity = 100_000

    @Option(
        help: ArgumentHelp(
            "The producer's transactional.id; give each gateway instance its own, stable across restarts.",
            discussion: "Default: <app-id>-gateway-<port>."))
    var transactionalId: String?

    init() {}

    mutating func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard idempotencyCapacity > 0 else { throw ValidationError("--idempotency-capacity must be positive") }
        if let transactionalId, transactionalId.isEmpty {
            throw ValidationError("--transactional-id must not be empty")
        }
    }
}
