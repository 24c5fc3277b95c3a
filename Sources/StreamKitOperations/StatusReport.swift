import StreamKit

/// The JSON body of `/health` and `/ready`: the verdict, and the app status it was made from.
///
///     {"assigned_partitions":["orders[0]"],"lag":{"orders[0]":0},"phase":"running","restored":true,"status":"up"}
struct StatusReport: Encodable {
    /// `up` when the endpoint answers 200, `down` when it answers 503.
    var status: String
    var phase: String
    var restored: Bool
    var assignedPartitions: [String]
    var lag: [String: Int64]
    var failure: String?

    init(_ snapshot: StreamAppStatus.Snapshot, isUp: Bool) {
        status = isUp ? "up" : "down"
        phase = snapshot.phase.rawValue
        restored = snapshot.isRestored
        assignedPartitions = snapshot.assignedPartitions.map(\.description)
        lag = Dictionary(uniqueKeysWithValues: snapshot.lag.map { ($0.key.description, $0.value) })
        failure = snapshot.failure
    }

    enum CodingKeys: String, CodingKey {
        case status, phase, restored, lag, failure
        case assignedPartitions = "assigned_partitions"
    }
}
