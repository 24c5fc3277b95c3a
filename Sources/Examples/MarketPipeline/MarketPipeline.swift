import StreamKit

/// The market pipeline: validate ticks, 1-second bars per symbol, spread spikes.
struct MarketPipeline {
    static let invalidTopic = "orderbook.invalid"

    let app: StreamApp
    let ticks: Topic<String, Tick>
    let bars = CollectingSink<WindowResult<String, Bar>>()
    let spikes = CollectingSink<SpikeAlert<Tick>>()

    init(broker: InMemoryBroker) throws {
        app = try StreamApp(name: "market-pipeline", broker: broker, errors: .deadLetter(Self.invalidTopic))
        ticks = app.topic("orderbook.raw", key: String.self, value: Tick.self, format: .json, partitions: 3)
        let barTopic = app.topic(
            "orderbook.bars.1s", key: String.self, value: WindowResult<String, Bar>.self, format: .json)

        let valid = app.dataframe(ticks)
            .eventTime(\.tsEventMs)
            .validate({ $0.violation }, otherwise: .deadLetter(Self.invalidTopic), name: "market-invariants")
            .dedupe(by: \.sequence, within: .seconds(60), name: "sequence-dedupe")
        valid.tumblingWindow(.seconds(1), grace: .milliseconds(200), closeAfterIdle: .seconds(5), name: "bars-1s")
            .aggregate(into: Bar()) { bar, tick in bar.add(tick) }
            .final()
            .to(barTopic)
            .to(bars)
        valid.detectSpikes(alpha: 0.1, threshold: 2, highThreshold: 3, warmUp: 20, name: "spread-spikes") { $0.spread }
            .to(spikes)
    }
}
