import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The `--brokers` option shared by the Kafka benchmarks, defaulting to `KAFKA_BROKERS`.
struct BrokerOptions: ParsableArguments {
    @Option(name: .long, help: "Bootstrap servers (host:port). Default: the KAFKA_BROKERS environment variable.")
    var brokers: String?

    /// The servers to use, once the first of them accepts a TCP connection; otherwise an error that says how to
    /// give or start one.
    func resolved() throws -> String {
        let servers: String
        if let brokers, !brokers.isEmpty {
            servers = brokers
        } else if let value = Machine.environment("KAFKA_BROKERS"), !value.isEmpty {
            servers = value
        } else {
            throw ValidationError(
                "no broker: pass --brokers host:port or set KAFKA_BROKERS (scripts/kafka-broker start starts one)")
        }
        let first = String(servers.split(separator: ",").first ?? "")
        if let problem = Self.connectionProblem(first) {
            throw BenchError(
                "broker \(first) is unreachable (\(problem)): check --brokers / KAFKA_BROKERS, "
                    + "or start a local one with scripts/kafka-broker start")
        }
        return servers
    }

    /// Why a TCP connection to `server` (`host:port`, an optional `PLAINTEXT://` prefix) fails; `nil` if it works.
    static func connectionProblem(_ server: String) -> String? {
        let address = server.split(separator: "://").last.map(String.init) ?? server
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            return "not host:port"
        }
        let host = String(address[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let lookup = getaddrinfo(host, String(port), &hints, &list)
        guard lookup == 0, let list else { return "cannot resolve \(host): \(String(cString: gai_strerror(lookup)))" }
        defer { freeaddrinfo(list) }
        var lastError = ECONNREFUSED
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let current = entry {
            let socket = Glibc.socket(current.pointee.ai_family, current.pointee.ai_socktype, 0)
            if socket >= 0 {
                defer { close(socket) }
                if connect(socket, current.pointee.ai_addr, current.pointee.ai_addrlen) == 0 { return nil }
                lastError = errno
            }
            entry = current.pointee.ai_next
        }
        return String(cString: strerror(lastError))
    }
}
