import Testing

/// The one-file quick start (`Sources/Examples/QuickStart`) as a user runs it: on the in-process cluster, with
/// the windows it prints compared with means worked by hand.
@Suite("quick-start", .timeLimit(.minutes(3)))
struct QuickStartTests {
    /// Sensor s reads 20 + s + (step mod 6) °C at steps 0…11, 10 s apart: steps 0–5 fill minute 0 and 6–11
    /// minute 1, each with the offsets 0…5, so both minutes average 20 + s + 2.5. The 900 °C reading is
    /// dead-lettered and changes nothing.
    @Test func printsTheMeanOfEverySensorAndMinute() async throws {
        let run = try ExampleProcess("quick-start", [], environment: ["KAFKA_BROKERS": ""])
        try await run.expectSuccess(within: .seconds(120))
        let lines = Set(run.stdout.split(separator: "\n").map(String.init))
        var expected: Set<String> = []
        for sensor in 0..<3 {
            for minute in 0..<2 {
                expected.insert("sensor-\(sensor) minute \(minute): mean \(22.5 + Double(sensor)) °C")
            }
        }
        #expect(lines == expected, "\(run.outputSummary)")
        #expect(run.stderr.contains("quick-start.invalid"), "the bad reading is dead-lettered with a warning")
    }

    @Test func answersHelp() async throws {
        let help = try ExampleProcess("quick-start", ["--help"])
        try await help.expectSuccess(within: .seconds(30))
        #expect(help.stdout.contains("USAGE: quick-start"))
    }
}
