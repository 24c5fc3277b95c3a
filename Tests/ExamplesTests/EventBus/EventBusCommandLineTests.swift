import StreamKitTestSupport
import Testing

/// `event-bus` with no services: the embedded default, help, and configuration errors that name the flag.
@Suite struct EventBusCommandLineTests {
    @Test func runsOnTheEmbeddedClusterWithNoArguments() async throws {
        let run = try ExampleProcess(
            "event-bus", ["--count", "20", "--rate", "0"], environment: TestEnvironment.withoutServices)
        try await run.expectSuccess()
        #expect(run.stdout.contains("event bus via embedded in-process cluster"))
        #expect(run.stdout.contains("subject"))  // the table's header
        #expect(
            run.stdout.contains(
                "produced 20 bank transactions and 20 price updates; consumed 20 bank transactions and 20 price updates"
            ))
    }

    @Test func helpDescribesTheSubcommandsAndTopics() async throws {
        let help = try ExampleProcess("event-bus", ["--help"])
        try await help.expectSuccess(within: .seconds(30))
        for text in ["bank-producer", "price-producer", "recommend", "market.price.updates", "change_pct"] {
            #expect(help.stdout.contains(text))
        }
        let recommendHelp = try ExampleProcess("event-bus", ["recommend", "--help"])
        try await recommendHelp.expectSuccess(within: .seconds(30))
        #expect(recommendHelp.stdout.contains("--from-beginning"))
    }

    @Test(arguments: [
        (["--rate", "-1"], "--rate"),
        (["bank-producer", "--count", "-5"], "--count"),
        (["recommend", "--topic-prefix", "a/b"], "--topic-prefix"),
        (["recommend", "--brokers", "127.0.0.1:9", "--kafka-property", "no.such.property=1"], "--kafka-property"),
        (["all", "--timescale-url", "postgres://127.0.0.1:notaport/db"], "--timescale-url"),
    ])
    func badConfigurationFailsAtStartNamingTheFlag(arguments: [String], flag: String) async throws {
        let run = try ExampleProcess("event-bus", arguments, environment: TestEnvironment.withoutServices)
        let status = try await run.waitForExit(within: .seconds(60))
        #expect(status != .exited(0))
        #expect(run.stderr.contains(flag), "\(run.outputSummary)")
    }
}
