import StreamKitAvro

extension Tick {
    /// The Avro schema of a tick: the JSON fields, with the same names and types.
    static func avroSchema() throws -> AvroSchema {
        try AvroSchema(
            json: """
                {"type": "record", "name": "Tick", "namespace": "streamkit.market", "fields": [
                    {"name": "symbol", "type": "string"},
                    {"name": "bid", "type": "double"},
                    {"name": "ask", "type": "double"},
                    {"name": "bid_volume", "type": "double"},
                    {"name": "ask_volume", "type": "double"},
                    {"name": "ts_event_ms", "type": "long"},
                    {"name": "ts_ingest_ms", "type": "long"},
                    {"name": "sequence", "type": "long"}]}
                """)
    }
}
