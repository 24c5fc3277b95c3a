import ArgumentParser
import Foundation

/// `--metrics-port`, `--metrics-host` and `--no-metrics`: where a long-running example serves its operations
/// endpoints (`/metrics` for Prometheus, `/health`, `/ready`).
///
/// The port falls back to `METRICS_PORT`, then to 9464 (the Prometheus exporter port the compose stack
/// scrapes). Port 0 picks a free port; either way the address is printed at start:
///
///     operations: http://127.0.0.1:9464 (/metrics /health /ready)
package struct OperationsOptions: ParsableArguments, Sendable {
    /// The port used when neither `--metrics-port` nor `METRICS_PORT` gives one.
    package static let defaultPort = 9464

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Port of the operations endpoints /metrics, /health and /ready (0: any free port).",
            discussion: "Default: $METRICS_PORT, else 9464. The address is printed at start.", valueName: "port"))
    package var metricsPort: Int?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Address the operations endpoints listen on: 0.0.0.0 for every interface, 127.0.0.1 for this machine.",
            valueName: "address"))
    package var metricsHost = "0.0.0.0"

    @Flag(name: .long, help: "Serve no operations endpoints and keep no Prometheus metrics.")
    package var noMetrics = false

    package init() {}

    package mutating func validate() throws {
        if noMetrics && metricsPort != nil {
            throw ValidationError("--no-metrics and --metrics-port exclude each other")
        }
        if let metricsPort, !(0...65_535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be from 0 to 65535, not \(metricsPort)")
        }
        if metricsPort == nil, let text = Self.environmentPort {
            guard let port = Int(text), (0...65_535).contains(port) else {
                throw ValidationError(
                    "METRICS_PORT (the default of --metrics-port) must be from 0 to 65535, not '\(text)'")
            }
        }
        if metricsHost.isEmpty { throw ValidationError("--metrics-host must not be empty") }
    }

    /// The port to serve on, or `nil` with `--no-metrics`.
    package var resolvedPort: Int? {
        guard !noMetrics else { return nil }
        return metricsPort ?? Self.environmentPort.flatMap { Int($0) } ?? Self.defaultPort
    }

    private static var environmentPort: String? {
        ProcessInfo.processInfo.environment["METRICS_PORT"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
