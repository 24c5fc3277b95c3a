import ExampleSupport

/// The seeded input of one chaos run: readings of several sensors per site, 10 ms apart in event time from
/// 2025-01-01T00:00:00Z, each keyed by its sensor with its event time as the record timestamp; and the sentinels
/// that close every window at the end.
struct ChaosInput {
    /// One reading, as the worker reads it.
    struct Reading: Sendable {
        var sensor: String
        var site: String
        var value: Int
        var tsMs: Int64

        /// `{"sensor","site","value","ts_ms"}`; the ids are plain ASCII, so no escaping is needed.
        var json: String {
            #"{"sensor":"\#(sensor)","site":"\#(site)","value":\#(value),"ts_ms":\#(tsMs)}"#
        }
    }

    /// 2025-01-01T00:00:00Z.
    static let firstEventMs: Int64 = 1_735_689_600_000
    static let spacingMs: Int64 = 10
    /// 2026-06-01T00:00:00Z: past every real window's end plus its day of grace, so a sentinel on every input
    /// partition moves the stream time of every repartition partition (the least watermark of its upstream
    /// partitions) past all real windows.
    static let sentinelMs: Int64 = 1_780_272_000_000

    let sites: [String]
    /// Every sensor with its site.
    let sensors: [(sensor: String, site: String)]
    let readings: [Reading]

    /// `count` readings from `seed`: 6–10 sites of 2–5 sensors each, sensors drawn at random per reading,
    /// values in -100…1000.
    init(seed: UInt64, count: Int) {
        var random = SplitMix64(seed: seed)
        let siteCount = random.next(in: 6...10)
        sites = (0..<siteCount).map { "site-\($0)" }
        sensors = sites.flatMap { site in
            (0..<random.next(in: 2...5)).map { (sensor: "\(site)-sensor-\($0)", site: site) }
        }
        var readings: [Reading] = []
        readings.reserveCapacity(count)
        for index in 0..<count {
            let (sensor, site) = sensors[random.next(in: 0...(sensors.count - 1))]
            readings.append(
                Reading(
                    sensor: sensor, site: site, value: random.next(in: -100...1_000),
                    tsMs: Self.firstEventMs + Int64(index) * Self.spacingMs))
        }
        self.readings = readings
    }

    /// One reading at ``sentinelMs`` for each input partition (from the first sensor of a site in turn), with the
    /// partition to produce it to: every upstream watermark passes every real window's end plus grace.
    func sentinels(partitions: Int) -> [(reading: Reading, partition: Int)] {
        (0..<partitions).map { partition in
            let site = sites[partition % sites.count]
            let sensor = sensors.first { $0.site == site }?.sensor ?? site
            return (Reading(sensor: sensor, site: site, value: 0, tsMs: Self.sentinelMs), partition)
        }
    }
}
