import StreamKitTestSupport
import Testing

/// The executable's command line: help on every subcommand, configuration errors that name the flag at start,
/// and the default all-in-one run on the embedded cluster (no services needed).
@Suite("order-analytics command line", .timeLimit(.minutes(3)))
struct OrderAnalyticsCommandTests {
    @Test(arguments: ["all", "gateway", "aggregate", "trends", "etl"])
    func everySubcommandHasHelp(subcommand: String) async throws {
        let help = try ExampleProcess("order-analytics", [subcommand, "--help"])
        try await help.expectSuccess(within: .seconds(30))
        #expect(help.stdout.contains("USAGE: order-analytics \(subcommand)"))
        #expect(help.stdout.contains("--topic-prefix") && help.stdout.contains("--format"))
    }

    @Test(arguments: [
        (["aggregate", "--format", "avro"], "--format avro needs --schema-registry"),
        (["trends", "--format", "avro", "--schema-registry", "ftp://registry"], "--schema-registry"),
        (["etl"], "--timescale-url"),
        (["gateway", "--port", "70000"], "--port must be from 0 to 65535"),
        (["aggregate", "--topic-prefix", "no spaces"], "--topic-prefix"),
        (["all", "--backtest"], "--backtest is for the stage subcommands"),
    ])
    func badConfigurationFailsAtStartNamingTheFlag(arguments: [String], message: String) async throws {
        let run = try ExampleProcess("order-analytics", arguments, environment: TestEnvironment.withoutServices)
        #expect(try await run.waitForExit(within: .seconds(30)) == .exited(64))
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test func runsTheDemoOnTheEmbeddedClusterWithoutArguments() async throws {
        let run = try ExampleProcess(
            "order-analytics", ["--port", "0", "--demo-orders", "40"], environment: TestEnvironment.withoutServices)
        try await run.expectSuccess(within: .seconds(120))
        // 40 orders, every tenth posted twice, two invalid: 44 answers of 202, 4 of them for retries.
        #expect(run.stdout.contains("44 answered 202 (4 as duplicates), 2 rejected"), "\(run.outputSummary)")
        #expect(run.stdout.contains("order_aggregates: 5-minute windows per product"))
        #expect(run.stdout.contains("all: ") && run.stdout.contains("set TIMESCALE_URL"))
    }
}
