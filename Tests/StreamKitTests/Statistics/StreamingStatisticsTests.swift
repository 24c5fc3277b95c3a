import StreamKitTestSupport
import Testing

@testable import StreamKit

@Suite("Streaming statistics")
struct StreamingStatisticsTests {
    func fold<A: StreamAggregator>(_ aggregator: A, _ inputs: [A.Input]) -> A.Output {
        var state = aggregator.initialState
        for input in inputs { aggregator.add(input, to: &state) }
        return aggregator.output(of: state)
    }

    @Test func ohlc() {
        let bar = fold(OHLCAggregator<Double> { $0 }, [3, 5, 1, 4])
        #expect(bar == OHLCBar(open: 3, high: 5, low: 1, close: 4, count: 4))
    }

    @Test func vwap() {
        struct Trade { var price: Double; var volume: Double }
        // (10·1 + 20·3) / 4 = 70 / 4 = 17.5
        let v = fold(
            VWAP<Trade>(price: \.price, volume: \.volume), [Trade(price: 10, volume: 1), Trade(price: 20, volume: 3)])
        #expect(v == 17.5)
        #expect(fold(VWAP<Trade>(price: \.price, volume: \.volume), [Trade(price: 10, volume: 0)]) == nil)
    }

    @Test func zScoreAgainstPreviousValues() {
        // 2, 4, 6: mean 4, sample sd 2. Next value 10 scores (10 − 4) / 2 = 3 against them.
        let r = fold(ZScore<Double> { $0 }, [2, 4, 6, 10])
        #expect(r.zScore == 3)
        #expect(r.count == 4)
        #expect(r.mean == 5.5)
        // sample variance of 2,4,6,10: deviations −3.5, −1.5, 0.5, 4.5 → 12.25 + 2.25 + 0.25 + 20.25 = 35; /3
        #expect(abs(r.standardDeviation - (35.0 / 3).squareRoot()) < 1e-12)
    }

    @Test func ewStatistics() {
        // α 0.5: 10 → mean 10; 20: diff 10, incr 5 → mean 15, var 0.5·(0 + 50) = 25
        let m = fold(EWStatistics<Double>(alpha: 0.5) { $0 }, [10, 20])
        #expect(m.mean == 15)
        #expect(m.variance == 25)
        #expect(m.latest == 20)
    }

    @Test func rateOfChange() {
        #expect(fold(RateOfChange<Double> { $0 }, [50, 60, 75]) == 0.5)
        #expect(fold(RateOfChange<Double> { $0 }, [0, 5]) == nil)
    }

    @Test func builtIns() {
        let values: [Double] = [4, 1, 7]
        #expect(fold(CountAggregator<Double>(), values) == 3)
        #expect(fold(SumAggregator<Double, Double> { $0 }, values) == 12)
        #expect(fold(MeanAggregator<Double> { $0 }, values) == 4)
        #expect(fold(MinimumAggregator<Double, Double> { $0 }, values) == 1)
        #expect(fold(MaximumAggregator<Double, Double> { $0 }, values) == 7)
        #expect(fold(FirstAggregator<Double>(), values) == 4)
        #expect(fold(LastAggregator<Double>(), values) == 7)
    }

    @Test func summaryStatisticsInOneFold() {
        // 4, 1, 7, −2: count 4, sum 10 → mean 2.5; smallest −2, largest 7
        let s = fold(SummaryStatistics<Double> { $0 }, [4, 1, 7, -2])
        #expect(s == SummaryStatisticsResult(count: 4, mean: 2.5, minimum: -2, maximum: 7))
        #expect(
            fold(SummaryStatistics<Double> { $0 }, [3])
                == SummaryStatisticsResult(count: 1, mean: 3, minimum: 3, maximum: 3))
    }

    @Test func summaryStatisticsPerWindow() throws {
        let app = try makeApp()
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json)
        let rows = CollectingSink<WindowResult<String, SummaryStatisticsResult>>()
        app.dataframe(ticks).eventTime(\.tsEventMs).tumblingWindow(.seconds(1))
            .aggregate(SummaryStatistics { $0.mid }).final().to(rows)
        let h = try PipelineHarness(app)
        try h.send(
            ticks,
            [
                tick("A", mid: 10, at: 0), tick("A", mid: 14, at: 500), tick("A", mid: 9, at: 900),
                tick("A", mid: 20, at: 1_200),
            ])
        try h.advanceWatermark(to: .at(.seconds(5)))
        // [0, 1000): 10, 14, 9 → 3 values, mean 33 / 3 = 11, 9 to 14. [1000, 2000): 20 alone.
        #expect(
            rows.values.map(\.value) == [
                SummaryStatisticsResult(count: 3, mean: 11, minimum: 9, maximum: 14),
                SummaryStatisticsResult(count: 1, mean: 20, minimum: 20, maximum: 20),
            ])
    }

    @Test func runningZScorePerKey() throws {
        let app = try makeApp()
        let ticks = app.topic("ticks", key: String.self, value: Tick.self, format: .json)
        let scores = app.topic("scores", key: String.self, value: ZScoreResult.self, format: .json)
        app.dataframe(ticks).runningAggregate(ZScore { $0.mid }).to(scores)
        let h = try PipelineHarness(app)
        try h.send(
            ticks,
            [
                tick("A", mid: 2, at: 0), tick("B", mid: 100, at: 0), tick("A", mid: 4, at: 0),
                tick("A", mid: 6, at: 0), tick("A", mid: 10, at: 0),
            ])
        let a = try h.records(in: scores).filter { $0.key == "A" }.map(\.value)
        #expect(a.map(\.count) == [1, 2, 3, 4])
        #expect(a.last?.zScore == 3)
    }
}
