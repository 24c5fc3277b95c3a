import StreamKitAvro

/// The Avro schemas of the example's topics, in the field names and types of their JSON form.
///
/// With `--format avro` each topic's values are written with these schemas in the Confluent wire format and
/// registered under `<topic>-value` (the registry's topic-name strategy), so other tools find them.
enum OrderSchemas {
    static let orderEvent = """
        {"type":"record","name":"OrderEvent","namespace":"streamkit.orders","fields":[
          {"name":"order_id","type":"string"},
          {"name":"user_id","type":"string"},
          {"name":"items","type":{"type":"array","items":{"type":"record","name":"OrderItem","fields":[
            {"name":"product_id","type":"string"},
            {"name":"quantity","type":"int"},
            {"name":"price","type":"double"}]}}},
          {"name":"total","type":"double"},
          {"name":"ts_event_ms","type":{"type":"long","logicalType":"timestamp-millis"}}]}
        """

    static let productView = """
        {"type":"record","name":"ProductView","namespace":"streamkit.orders","fields":[
          {"name":"user_id","type":"string"},
          {"name":"product_id","type":"string"},
          {"name":"ts_event_ms","type":{"type":"long","logicalType":"timestamp-millis"}}]}
        """

    static let orderAggregate = """
        {"type":"record","name":"OrderAggregate","namespace":"streamkit.orders","fields":[
          {"name":"product_id","type":"string"},
          {"name":"window_start_ms","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"window_end_ms","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"order_count","type":"long"},
          {"name":"units","type":"long"},
          {"name":"revenue","type":"double"}]}
        """

    static let trendAlert = """
        {"type":"record","name":"TrendAlert","namespace":"streamkit.orders","fields":[
          {"name":"product_id","type":"string"},
          {"name":"window_start_ms","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"window_end_ms","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"revenue","type":"double"},
          {"name":"baseline","type":"double"},
          {"name":"ratio","type":"double"},
          {"name":"severity","type":{"type":"enum","name":"Severity","symbols":["MEDIUM","HIGH"]}}]}
        """
}
