import StreamKitTestSupport
import Testing

@testable import StreamKit

@Suite("Pipeline description")
struct PipelineDescriptionTests {
    func build(windowSize: Duration) throws -> StreamApp {
        let app = try makeApp("describe-me")
        let ticks = app.topic("orderbook.raw", key: String.self, value: Tick.self, format: .json)
        let bars = app.topic("bars", key: String.self, value: WindowResult<String, Int>.self, format: .json)
        app.dataframe(ticks).filter(Tick.isValid, otherwise: .deadLetter("orderbook.invalid"))
            .tumblingWindow(windowSize, name: "bars").count().final().to(bars)
        return app
    }

    @Test func listsOperatorsStoresAndTopics() throws {
        let d = try build(windowSize: .seconds(1)).describe()
        #expect(d.operators.map(\.kind) == ["source", "filter", "tumbling-window", "final", "to"])
        #expect(d.stores.map(\.name) == ["bars"])
        #expect(d.topics.map(\.name) == ["orderbook.raw", "orderbook.invalid", "describe-me-bars-changelog", "bars"])
        #expect(d.topics.first { $0.name == "orderbook.invalid" }?.roles == ["dead-letter"])
        #expect(d.topics.first { $0.name == "describe-me-bars-changelog" }?.roles == ["changelog"])
        #expect(d.text.contains("#2 tumbling-window (bars: tumbling 1.0 seconds) <- #1"))
        #expect(d.mermaid.hasPrefix("flowchart LR"))
        #expect(d.mermaid.contains("n1 --> n2"))
    }

    @Test func fingerprintFollowsStateLayoutOnly() throws {
        let a = try build(windowSize: .seconds(1)).describe().stateFingerprint
        let b = try build(windowSize: .seconds(1)).describe().stateFingerprint
        let c = try build(windowSize: .seconds(2)).describe().stateFingerprint
        #expect(a == b)
        #expect(a != c)
        #expect(a.count == 16)
    }

    @Test func invalidAppNameIsAConfigurationError() {
        #expect {
            try StreamApp(name: "bad name/with slash")
        } throws: { error in
            (error as? StreamAppError)?.code == .configuration && "\(error)".contains("bad name/with slash")
        }
    }
}
