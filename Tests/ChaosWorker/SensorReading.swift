/// One reading of the chaos input topic, keyed by `sensor`: `{"sensor", "site", "value", "ts_ms"}` on the wire.
struct SensorReading: Codable, Sendable {
    var sensor: String
    var site: String
    var value: Int
    /// The event time, in milliseconds since the Unix epoch.
    var tsMs: Int64
}
