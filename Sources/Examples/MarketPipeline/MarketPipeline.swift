import Logging
import Metrics
import StreamKit

/// The market pipeline on one app: the quality stage, 1-second bars, spike flags and the database sinks.
///
///     orderbook.raw ─ deserialize ─ sequence check ─┬─ gaps ──────────────────────────────▶ orderbook.gaps
///                        │              │           └─ duplicates ─────────────────────────▶ orderbook.invalid
///                        │              └ market invariants (bid > 0, ask > bid, volumes ≥ 0) ▶ orderbook.invalid
///                        └ malformed ──────────────────────────────────────────────────────▶ orderbook.invalid
///     valid ticks ─┬─▶ ticks table
///                  ├─ 1 s tumbling window per symbol ─▶ orderbook.bars.1s, bars_1s table
///                  └─ EMA spikes (spread, |Δmid|) ────▶ orderbook.spikes
///
/// Dead-lettered records keep their original bytes, with the reason in the `streamkit.error` header and the
/// stage in `streamkit.stage` (`deserialize`, `sequence`, `market-invariants`).
struct MarketPipeline {
    let app: StreamApp
    let topics: MarketTopics
    let metrics = CountingMetrics()
    let validTicks = LiveFeed<Tick>(keeping: 0)
    let bars = LiveFeed<Bar>(keeping: 10_000)
    let spikes = LiveFeed<SpikeFlag>(keeping: 1_000)
    let gaps = LiveFeed<SequenceGap>(keeping: 0)

    /// - Parameters:
    ///   - closeAfterIdle: Closes a partition's windows after this long without ticks, so a quiet feed still
    ///     gets its last bars; `nil` in a backtest, which closes them at the end of the input.
    ///   - exported: Where the app's metrics go besides the counts of the summary (Prometheus, for `/metrics`).
    init(
        name: String, instanceID: String? = nil, broker: some StreamBroker, guarantee: ProcessingGuarantee,
        topics: MarketTopics,
        tickFormat: Serde<Tick>, database: MarketDatabase?, closeAfterIdle: Duration?,
        exportingMetricsTo exported: (any MetricsFactory)? = nil, logger: Logger
    ) throws {
        let counting = metrics
        app = try StreamApp(
            name: name, broker: broker, guarantee: guarantee, instanceID: instanceID,
            errors: .deadLetter(topics.invalid), logger: logger,
            metrics: exported.map { MultiplexMetricsHandler(factories: [counting, $0]) } ?? counting)
        self.topics = topics
        let raw = app.topic(topics.raw, key: String.self, value: Tick.self, format: tickFormat, partitions: 3)
        let barTopic = app.topic(topics.bars, key: String.self, value: Bar.self, format: .json)
        let spikeTopic = app.topic(topics.spikes, key: String.self, value: SpikeFlag.self, format: .json)
        let gapTopic = app.topic(topics.gaps, key: String.self, value: SequenceGap.self, format: .json)

        let sequenced = app.dataframe(raw)
            .eventTime(\.tsEventMs)
            .stateful(name: "sequence-check", initial: Int64(0)) { last, record in
                defer { last = max(last, record.value.sequence) }
                return SequencedTick(tick: record.value, previous: last)
            }
        sequenced.compactMap(\.gap).to(gapTopic).to(gaps)
        let valid =
            sequenced
            .validate({ $0.duplicateReason }, otherwise: .deadLetter(topics.invalid), name: "sequence")
            .map(\.tick)
            .validate({ $0.violation }, otherwise: .deadLetter(topics.invalid), name: "market-invariants")
            .to(validTicks)
        if let database { valid.to(database.ticks) }

        let closed = valid.tumblingWindow(
            .seconds(1), grace: .milliseconds(200), closeAfterIdle: closeAfterIdle, name: "bars-1s"
        )
        .aggregate(into: BarAccumulator()) { bar, tick in bar.add(tick) }
        .final()
        .map(Bar.init)
        .to(barTopic)
        .to(bars)
        if let database { closed.to(database.bars) }

        valid.detectSpikes(alpha: 0.1, threshold: 2, highThreshold: 3, warmUp: 20, name: "spread-spikes") {
            $0.spread
        }
        .map { SpikeFlag(.spread, tick: $0.value, alert: $0) }
        .to(spikeTopic)
        .to(spikes)
        valid.stateful(name: "price-moves", initial: Double?.none) { lastMid, record in
            defer { lastMid = record.value.mid }
            return lastMid.map { PriceMove(tick: record.value, move: abs(record.value.mid - $0)) }
        }
        // A random walk's moves vary far more from tick to tick than spreads do: a slower baseline and higher
        // thresholds keep the flags for real jumps.
        .detectSpikes(alpha: 0.05, threshold: 4, highThreshold: 8, warmUp: 20, name: "price-spikes") { $0.move }
        .map { SpikeFlag(.price, tick: $0.value.tick, alert: $0) }
        .to(spikeTopic)
        .to(spikes)
    }

    /// What the app has done so far.
    var summary: MarketSummary {
        let failed = metrics.totals(StreamMetricName.recordsFailed, by: "stage", matching: ["action": "dead_letter"])
        return MarketSummary(
            recordsRead: Int(metrics.total(StreamMetricName.recordsIn)), validTicks: validTicks.count,
            deadLettered: failed.mapValues(Int.init), gaps: gaps.count, bars: bars.count, spikes: spikes.count)
    }
}
