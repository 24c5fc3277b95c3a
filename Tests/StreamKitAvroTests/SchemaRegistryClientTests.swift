import Foundation
import StreamKit
import StreamKitTestSupport
import Testing

@testable import StreamKitAvro

// Needs python3 for the registry test double; listed as skipped by name where it is missing.
@Suite("Schema Registry client", .enabled("python3 is needed for SchemaRegistryTestDouble") { await hasPython.value })
struct SchemaRegistryClientTests {
    let orderV2JSON = orderSchemaJSON.replacingOccurrences(
        of: #"{"name":"total","type":"double"},"#,
        with: #"{"name":"total","type":"double"},{"name":"currency","type":"string","default":"EUR"},"#)

    @Test func registersLooksUpByIDFindsTheLatestVersionAndChecksCompatibility() async throws {
        let double = try await SchemaRegistryTestDouble()
        let registry = try SchemaRegistryClient(url: double.url)
        let v1 = try AvroSchema(json: orderSchemaJSON)
        let v2 = try AvroSchema(json: orderV2JSON)
        let id1 = try await registry.register(v1, subject: "order_events-value")
        #expect(try await registry.register(v1, subject: "order_events-value") == id1)  // from the cache
        #expect(try await double.stats()["POST /subjects/order_events-value/versions"] == 1)

        #expect(try await registry.isCompatible(v2, subject: "order_events-value"))
        let noDefault = try AvroSchema(json: orderV2JSON.replacingOccurrences(of: #","default":"EUR""#, with: ""))
        #expect(try await registry.isCompatible(noDefault, subject: "order_events-value") == false)

        let id2 = try await registry.register(v2, subject: "order_events-value")
        #expect(id2 != id1)
        let latest = try await registry.latestVersion(subject: "order_events-value")
        #expect(latest.version == 2 && latest.id == id2 && latest.schema.isEquivalent(to: v2))

        let fresh = try SchemaRegistryClient(url: double.url)
        #expect(try await fresh.schema(id: id1).isEquivalent(to: v1))
    }

    @Test func registryErrorsCarryTheRegistrysCodeAndMessage() async throws {
        let double = try await SchemaRegistryTestDouble()
        let registry = try SchemaRegistryClient(url: double.url)
        let notFound = try await #require(throws: SchemaRegistryError.self) { try await registry.schema(id: 99) }
        #expect(notFound.errorCode == 40403 && notFound.httpStatus == 404 && notFound.message == "Schema 99 not found")
        let noSubject = try await #require(throws: SchemaRegistryError.self) {
            try await registry.latestVersion(subject: "nope")
        }
        #expect(noSubject.errorCode == 40401)
        #expect(noSubject.description.contains("GET /subjects/nope/versions/latest"))
    }

    @Test func basicAuthIsSentAndAWrongPasswordNeverAppearsInTheError() async throws {
        let double = try await SchemaRegistryTestDouble(auth: "alice:s3cret")
        let schema = try AvroSchema(json: orderSchemaJSON)
        let good = try SchemaRegistryClient(url: double.url, credentials: .init(username: "alice", password: "s3cret"))
        _ = try await good.register(schema, subject: "s")
        let bad = try SchemaRegistryClient(url: double.url, credentials: .init(username: "alice", password: "wrong-pw"))
        let error = try await #require(throws: SchemaRegistryError.self) {
            try await bad.register(schema, subject: "s")
        }
        #expect(error.httpStatus == 401 && error.errorCode == 40101)
        #expect(!error.description.contains("wrong-pw") && !"\(error)".contains("wrong-pw"))
    }

    @Test func configurationIsValidatedWhenTheClientIsMade() {
        #expect(throws: SchemaRegistryError.self) { try SchemaRegistryClient(url: "ftp://registry") }
        #expect(throws: SchemaRegistryError.self) {
            try SchemaRegistryClient(url: "http://registry:8081", security: .requireTLS)
        }
        #expect(throws: SchemaRegistryError.self) {
            try SchemaRegistryClient(
                url: "http://registry.example:8081", credentials: .init(username: "u", password: "p"))
        }
        #expect(throws: SchemaRegistryError.self) { try SchemaRegistryClient(url: "https://u:p@registry") }
    }

    @Test func theSerdeFramesValuesAndFetchesEachWriterSchemaOnce() async throws {
        let double = try await SchemaRegistryTestDouble()
        let registry = try SchemaRegistryClient(url: double.url)
        let producer = Serde<OrderEvent>.avro(
            schema: try AvroSchema(json: orderSchemaJSON), registry: registry, subject: "orders-value")
        let bytes = try producer.encode(sampleOrder)
        #expect(Array(bytes.prefix(5)) == [0, 0, 0, 0, 1])  // magic byte, schema id 1 big-endian

        // A consumer on a newer schema, with its own client (empty cache): one lookup for many records.
        struct OrderV2: Codable, Equatable { var orderId: String; var total: Double; var currency: String }
        let consumer = Serde<OrderV2>.avro(
            schema: try AvroSchema(json: orderV2JSON), registry: try SchemaRegistryClient(url: double.url))
        for _ in 0..<50 {
            #expect(try consumer.decode(bytes) == OrderV2(orderId: "o-1", total: 22.25, currency: "EUR"))
        }
        #expect(try await double.stats()["GET /schemas/ids/1"] == 1)

        let unknown = try #require(throws: SerdeError.self) { try consumer.decode([0, 0, 0, 0, 42, 0]) }
        #expect(unknown.reason.contains("unknown Avro schema id 42") && unknown.reason.contains("40403"))
        _ = try? consumer.decode([0, 0, 0, 0, 42, 0])
        #expect(try await double.stats()["GET /schemas/ids/42"] == 1)  // a missing id is remembered
    }

    @Test func corruptHeadersAndUnknownIDsAreDeadLetteredWithTheReason() async throws {
        let double = try await SchemaRegistryTestDouble()
        let registry = try SchemaRegistryClient(url: double.url)
        let app = try StreamApp(name: "avro-dlq", broker: InMemoryBroker(), errors: .deadLetter("dlq"))
        let format = Serde<OrderEvent>.avro(schema: try AvroSchema(json: orderSchemaJSON), registry: registry)
        let orders = app.topic("order_events", key: String.self, value: OrderEvent.self, format: format)
        let copies = app.topic("order_copies", key: String.self, value: OrderEvent.self, format: format)
        app.dataframe(orders).to(copies)
        let h = try PipelineHarness(app)

        try h.sendRaw(topic: "order_events", key: Array("k".utf8), value: [7, 0, 0, 0, 1, 2], timestamp: .at(.zero))
        try h.sendRaw(
            topic: "order_events", key: Array("k".utf8), value: [0, 0, 0, 0, 77, 2, 0x61], timestamp: .at(.zero))
        try h.send(orders, key: "k", value: sampleOrder, timestamp: .at(.zero))

        let dead = h.rawRecords(in: "dlq")
        #expect(dead.map(\.value) == [[7, 0, 0, 0, 1, 2], [0, 0, 0, 0, 77, 2, 0x61]])
        let reasons = dead.map { $0.headers.value(named: DeadLetterHeader.error) ?? "" }
        #expect(reasons[0].contains("magic byte is 7"))
        #expect(reasons[1].contains("unknown Avro schema id 77"))
        #expect(try h.values(in: copies) == [sampleOrder])
    }
}
