/// The fold of one site's window: how many readings it saw and the sum of their values.
struct SiteTotals: Codable, Sendable {
    var count = 0
    var sum = 0

    mutating func add(_ reading: SensorReading) {
        count += 1
        sum += reading.value
    }
}
