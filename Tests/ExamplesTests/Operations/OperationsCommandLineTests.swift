import StreamKitTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The operations flags on the command line, on the embedded cluster (no services needed): a taken port and
/// bad values fail at start naming the flag, and `--no-metrics` serves nothing.
@Suite("operations flags", .timeLimit(.minutes(3)))
struct OperationsCommandLineTests {
    /// A run without demo events on the embedded cluster serves until stopped.
    static let idle = ["--demo-events", "0", "--metrics-host", "127.0.0.1"]

    @Test func aTakenMetricsPortFailsAtStartNamingTheFlag() async throws {
        let first = try ExampleProcess(
            "event-persistence", Self.idle + ["--metrics-port", "0"], environment: TestEnvironment.withoutServices)
        let endpoints = try await OperationsEndpoints(of: first)
        let port = try #require(endpoints.baseURL.port)
        #expect(try await endpoints.get("health").status == 200)

        let second = try ExampleProcess(
            "event-persistence", Self.idle + ["--metrics-port", "\(port)"], environment: TestEnvironment.withoutServices
        )
        #expect(try await second.waitForExit(within: .seconds(60)) == .exited(64))
        #expect(second.stderr.contains("--metrics-port \(port)"), "\(second.outputSummary)")

        first.send(SIGTERM)
        #expect(try await first.waitForExit(within: .seconds(60)) == .exited(0), "\(first.outputSummary)")
        #expect(first.stderr.contains("shutting down gracefully"))
    }

    @Test(arguments: [
        (["--metrics-port", "70000"], [:], "--metrics-port must be from 0 to 65535"),
        (["--no-metrics", "--metrics-port", "9464"], [:], "--no-metrics and --metrics-port exclude each other"),
        ([], ["METRICS_PORT": "nine"], "METRICS_PORT (the default of --metrics-port)"),
    ])
    func badOperationsFlagsFailAtStart(arguments: [String], environment: [String: String], message: String)
        async throws
    {
        let run = try ExampleProcess(
            "event-persistence", Self.idle + arguments,
            environment: TestEnvironment.withoutServices.merging(environment) { $1 })
        #expect(try await run.waitForExit(within: .seconds(30)) == .exited(64))
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test func noMetricsServesNoEndpoints() async throws {
        let run = try ExampleProcess(
            "event-persistence", ["--no-metrics", "--demo-events", "20"], environment: TestEnvironment.withoutServices)
        try await run.expectSuccess(within: .seconds(120))
        #expect(!run.stdout.contains("operations:"))
        #expect(run.stdout.contains("read 20 records"), "\(run.outputSummary)")
    }
}
