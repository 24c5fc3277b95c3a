import Testing

@testable import StreamKit

/// A reading whose Swift property names differ from its wire names (`sensorId` is `sensor_id` on the wire).
private struct Reading: Codable {
    var sensorId: String
    var value: Double
}

/// `Serde.json` turns the codec's `JSONError` into the `SerdeError` a dead letter's reason shows; the codec's own
/// errors are tested in `StreamKitJSONTests`.
@Suite("Serde.json")
struct SerdeJSONTests {
    @Test func aMissingFieldNamesTheWireNameAndThePropertyWithoutABareOffset() {
        let serde = Serde<Reading>.json
        #expect {
            try serde.decode(Array(#"{"value":1.5}"#.utf8))
        } throws: { error in
            "\(error)".contains("missing field 'sensor_id' (property 'sensorId') in the object at byte 0")
                && !"\(error)".contains("key not found at byte")
        }
    }
}
