import Hummingbird
import Logging

/// The gateway's HTTP server (Hummingbird): the two `POST` routes and `GET /health`.
enum GatewayServer {
    /// Makes the server for `gateway` on `host:port`; `onListening` gets the bound port (useful with port 0).
    static func make(
        _ gateway: OrderGateway, host: String, port: Int, logger: Logger,
        onListening: @escaping @Sendable (Int) -> Void
    ) -> some ApplicationProtocol {
        let router = Router()
        router.post("api/v1/orders") { request, _ in
            await respond(to: request) { await gateway.acceptOrder($0) }
        }
        router.post("api/v1/product-views") { request, _ in
            await respond(to: request) { await gateway.acceptView($0) }
        }
        router.get("health") { _, _ in
            response(OrderGateway.Reply(status: 200, body: Array(#"{"status":"ok"}"#.utf8)))
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "order-analytics"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) }, logger: logger)
    }

    private static func respond(
        to request: Request, _ handle: ([UInt8]) async -> OrderGateway.Reply
    ) async -> Response {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: OrderGateway.maxBodySize)
        } catch {
            return response(
                OrderGateway.reply(
                    RequestRejection(status: 413, message: "the body is over \(OrderGateway.maxBodySize) bytes")))
        }
        return response(await handle(Array(buffer: body)))
    }

    private static func response(_ reply: OrderGateway.Reply) -> Response {
        Response(
            status: HTTPResponse.Status(code: reply.status), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}
