import Foundation
import Testing

@testable import StreamKitAvro

// fastavro (PyPI) is the independent implementation; installed with pip when missing, else skipped by name.
@Suite(
    "Avro interop with fastavro",
    .enabled("python3 with fastavro (pip install fastavro) is needed") { await hasFastavro.value })
struct AvroInteropTests {
    /// Reads `{"schema", "hex"}` on stdin, decodes with fastavro, prints the value as canonical JSON.
    let decodeScript = #"""
        import datetime, decimal, io, json, sys, uuid, fastavro
        request = json.load(sys.stdin)
        schema = fastavro.parse_schema(json.loads(request["schema"]))
        value = fastavro.schemaless_reader(io.BytesIO(bytes.fromhex(request["hex"])), schema)
        EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        def norm(v):
            if isinstance(v, dict): return {k: norm(x) for k, x in v.items()}
            if isinstance(v, list): return [norm(x) for x in v]
            if isinstance(v, bytes): return v.hex()
            if isinstance(v, datetime.datetime): return {"us": (v - EPOCH) // datetime.timedelta(microseconds=1)}
            if isinstance(v, datetime.date): return {"days": (v - datetime.date(1970, 1, 1)).days}
            if isinstance(v, (uuid.UUID, decimal.Decimal)): return str(v)
            return v
        print(json.dumps(norm(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False))
        """#

    @Test func bytesStreamKitEncodesDecodeInFastavroToTheSameValues() async throws {
        let schema = try AvroSchema(json: everyTypeSchemaJSON)
        let bytes = try AvroEncoder(schema: schema).encode(sampleEveryType)
        let request = try String(
            decoding: JSONEncoder().encode(["schema": everyTypeSchemaJSON, "hex": hex(bytes)]), as: UTF8.self)
        let decoded = try await PythonRunner.run(decodeScript, input: request).trimmingCharacters(
            in: .whitespacesAndNewlines)
        // sampleEveryType as fastavro sees it: 1_700_000_000.123 s = 1_700_000_000_123_000 µs; day 19000;
        // decimals at their scale; bytes and fixed as hex.
        let expected =
            #"{"amount":"12.34","at":{"us":1700000000123000},"at_micros":{"us":1700000000500000},"#
            + #""big":9000000000,"blob":"0001feff","counts":{"x":1,"y":-2},"day":{"days":19000},"#
            + #""fixed_amount":"-7.0625","flag":true,"hash":"deadbeef","id":"123e4567-e89b-12d3-a456-426614174000","#
            + #""inner":{"label":"in","weight":1.5},"maybe_inner":null,"name":"TTF-GAS ✓","note":"hello","#
            + #""nothing":null,"price":31.25,"ratio":0.5,"side":"SELL","small":-42,"tags":["a","bb"]}"#
        #expect(decoded == expected)
    }

    @Test func bytesFastavroEncodesDecodeInStreamKit() async throws {
        let script = #"""
            import datetime, decimal, io, json, sys, uuid, fastavro
            schema = fastavro.parse_schema(json.loads(sys.stdin.read()))
            utc = datetime.timezone.utc
            value = {"flag": False, "small": 7, "big": -1, "ratio": 2.0, "price": -0.5, "name": "é", "blob": b"\x00\xff",
                     "tags": ["z"], "counts": {"k": 3}, "side": "BUY", "hash": b"\x01\x02\x03\x04", "note": None,
                     "inner": {"label": "L", "weight": 0.25}, "maybe_inner": {"label": "M", "weight": 4.0},
                     "at": datetime.datetime(2024, 1, 1, tzinfo=utc),
                     "at_micros": datetime.datetime(2024, 1, 1, 0, 0, 0, 250000, tzinfo=utc),
                     "day": datetime.date(2024, 1, 1), "id": uuid.UUID("0e5d7a2c-1b3f-4c6d-8e9f-a0b1c2d3e4f5"),
                     "amount": decimal.Decimal("-12.50"), "fixed_amount": decimal.Decimal("123.4567"), "nothing": None}
            out = io.BytesIO()
            fastavro.schemaless_writer(out, schema, value)
            print(out.getvalue().hex())
            """#
        let hexText = try await PythonRunner.run(script, input: everyTypeSchemaJSON).trimmingCharacters(
            in: .whitespacesAndNewlines)
        let bytes = stride(from: 0, to: hexText.count, by: 2).map { offset in
            let start = hexText.index(hexText.startIndex, offsetBy: offset)
            return UInt8(hexText[start..<hexText.index(start, offsetBy: 2)], radix: 16)!
        }
        let decoded = try AvroDecoder(schema: try AvroSchema(json: everyTypeSchemaJSON)).decode(
            EveryType.self, from: bytes)
        // 2024-01-01T00:00:00Z = 1_704_067_200 s = day 19_723.
        let expected = EveryType(
            flag: false, small: 7, big: -1, ratio: 2, price: -0.5, name: "é", blob: [0, 255], tags: ["z"],
            counts: ["k": 3],
            side: .buy, hash: [1, 2, 3, 4], note: nil, inner: .init(label: "L", weight: 0.25),
            maybeInner: .init(label: "M", weight: 4), at: Date(timeIntervalSince1970: 1_704_067_200),
            atMicros: Date(timeIntervalSince1970: 1_704_067_200.25), day: Date(timeIntervalSince1970: 19_723 * 86_400),
            id: UUID(uuidString: "0e5d7a2c-1b3f-4c6d-8e9f-a0b1c2d3e4f5")!, amount: Decimal(string: "-12.5")!,
            fixedAmount: Decimal(string: "123.4567")!)
        #expect(decoded == expected)
    }

    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
