import StreamKitTestSupport
import Testing

@testable import StreamKit

@Suite("Error policy and dead letters")
struct ErrorPolicyTests {
    @Test func malformedJSONAndWrongTypesAreDeadLetteredWithReasonAndOriginalBytes() throws {
        let app = try makeApp(errors: .deadLetter("ticks.dlq"))
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json)
        let valid = app.topic("valid", key: String.self, value: Tick.self, format: .json)
        app.dataframe(ticks).to(valid)
        let h = try PipelineHarness(app)

        let broken = Array(#"{"symbol":"X","bid":"#.utf8)
        let wrongType = Array(
            #"{"symbol":"X","bid":"high","ask":1,"bid_volume":1,"ask_volume":1,"ts_event_ms":1,"ts_ingest_ms":1,"sequence":1}"#
                .utf8)
        try h.sendRaw(
            topic: "ticks", key: Array("X".utf8), value: broken, timestamp: .at(.zero),
            headers: [RecordHeader(name: "trace", utf8: "t-1")])
        try h.sendRaw(topic: "ticks", key: Array("X".utf8), value: wrongType, timestamp: .at(.zero))
        try h.send(ticks, [tick(mid: 5, at: 0)])  // the pipeline keeps running

        let dead = h.rawRecords(in: "ticks.dlq")
        #expect(dead.count == 2)
        #expect(dead.map(\.value) == [broken, wrongType])
        #expect(dead[0].headers.value(named: "trace") == "t-1")
        #expect(dead[0].headers.value(named: DeadLetterHeader.sourceTopic) == "ticks")
        #expect(dead[0].headers.value(named: DeadLetterHeader.sourcePartition) == "0")
        #expect(dead[1].headers.value(named: DeadLetterHeader.sourceOffset) == "1")
        #expect(dead.allSatisfy { $0.headers.value(named: DeadLetterHeader.stage) == "deserialize" })
        let reason = try #require(dead[1].headers.value(named: DeadLetterHeader.error))
        #expect(reason.contains("ticks[0]@1"))
        #expect(reason.contains("bid"))
        #expect(try h.values(in: valid).count == 1)
    }

    @Test func filterRejectionsGoToTheirDeadLetterTopicWithTheReason() throws {
        let app = try makeApp()
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json)
        let valid = app.topic("valid", key: String.self, value: Tick.self, format: .json)
        app.dataframe(ticks)
            .validate({ $0.ask > $0.bid ? nil : "ask \($0.ask) <= bid \($0.bid)" }, otherwise: .deadLetter("invalid"))
            .to(valid)
        let h = try PipelineHarness(app)
        var crossed = tick(mid: 5, at: 0, sequence: 2)
        crossed.ask = 4
        try h.send(ticks, [tick(mid: 5, at: 0, sequence: 1), crossed])
        #expect(try h.values(in: valid).map(\.sequence) == [1])
        let dead = h.rawRecords(in: "invalid")
        #expect(dead.count == 1)
        #expect(dead.first?.headers.value(named: DeadLetterHeader.error) == "ask 4.0 <= bid 4.5")
        #expect(try dead.first.map { try Serde<Tick>.json.decode($0.value ?? []) } == crossed)
    }

    @Test func failPolicyStopsWithTheRecordPosition() throws {
        let app = try makeApp()
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json)
        app.dataframe(ticks).map { $0.mid }
        let h = try PipelineHarness(app)
        #expect {
            try h.sendRaw(topic: "ticks", key: nil, value: Array("nope".utf8), timestamp: .at(.zero))
        } throws: { error in
            (error as? StreamAppError)?.code == .recordFailed && "\(error)".contains("ticks[0]")
        }
    }

    @Test func operatorErrorsAreSkippedAndCounted() throws {
        struct Boom: Error {}
        let app = try StreamApp(
            name: "skip", broker: InMemoryBroker(), errors: ErrorPolicy(deserialization: .fail, processing: .skip))
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json)
        let out = app.topic("out", key: String.self, value: Int64.self, format: .json)
        app.dataframe(ticks).map { tick -> Int64 in
            if tick.sequence == 2 { throw Boom() }
            return tick.sequence
        }.to(out)
        let h = try PipelineHarness(app)
        try h.send(ticks, (1...3).map { tick(mid: 1, at: 0, sequence: $0) })
        #expect(try h.values(in: out) == [1, 3])
    }
}
