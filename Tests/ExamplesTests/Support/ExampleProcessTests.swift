import Testing

/// The process runner itself: it finds a built example, reads its output and sees how it ended.
@Suite struct ExampleProcessTests {
    @Test func runsABuiltExampleAndSeesItsHelpAndExitCode() async throws {
        let help = try ExampleProcess("market-pipeline", ["--help"])
        try await help.expectSuccess(within: .seconds(30))
        #expect(help.stdout.contains("USAGE: market-pipeline"))

        let bad = try ExampleProcess("market-pipeline", ["--count", "0"])
        #expect(try await bad.waitForExit(within: .seconds(30)) == .exited(64))
        #expect(bad.stderr.contains("--count must be positive"))
    }
}
