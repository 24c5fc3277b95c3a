import ArgumentParser

/// The tables of `BENCHMARKS.md`, in the order they appear, each with what it measures.
enum BenchSection: String, Codable, CaseIterable, ExpressibleByArgument, Sendable {
    case dsl
    case kafka
    case latency
    case instances
    case keys
    case timescale
    case persistence
    case serdes

    var title: String {
        switch self {
        case .dsl: "In-memory DSL"
        case .kafka: "Kafka end to end"
        case .latency: "End-to-end latency"
        case .instances: "Scaling: instances in one consumer group"
        case .keys: "Scaling: cost per record as the keys grow"
        case .timescale: "TimescaleDB sink"
        case .persistence: "Event persistence into PostgreSQL"
        case .serdes: "Serdes"
        }
    }

    /// What the section's rates count: rows for the database, records elsewhere.
    var unit: String {
        switch self {
        case .timescale: "rows"
        case .persistence: "events"
        default: "records"
        }
    }

    /// A paragraph under the title: what was run, so that a reader can judge the figures.
    var summary: String {
        switch self {
        case .dsl:
            "`streamkit-bench dsl`: map → filter → 1 s tumbling aggregate → final over ticks in a fixed binary "
                + "layout (no JSON) on the in-memory broker, one thread; the input is held in memory."
        case .kafka:
            "`streamkit-bench kafka`: N JSON ticks produced to a fresh topic; the same topic consumed raw with "
                + "librdkafka batch polling (counting bytes, no decoding: the ceiling); then the market pipeline "
                + "(JSON decode, validate, event time, 1 s tumbling bars per symbol, final, JSON bars to an output "
                + "topic) as a StreamApp in `.backtest` mode. Both consumers are timed from partition assignment "
                + "to the last record (the first fetch included, the group join not). CPU ns/record: process CPU "
                + "time, all threads (librdkafka's included), over the same interval. Peak memory is per phase "
                + "(VmHWM reset between phases)."
        case .latency:
            "`streamkit-bench latency`: ticks paced at a fixed rate, each stamped with its send time; a StreamApp "
                + "(JSON decode → map → to(topic)) runs concurrently; a consumer of the output topic records "
                + "receive − send. Warm-up records (until the group is joined) are not counted. In the same run a plain "
                + "librdkafka consumer of the input topic times one hop, send → receive: the broker's and the "
                + "machine's floor (the pipeline's path has two hops)."
        case .instances:
            "`streamkit-bench scale`: the market pipeline as 1, then 2 separate processes (`scale-worker`) in one "
                + "consumer group over one pre-produced topic. *whole run* = all records / (last record processed "
                + "by any instance − first record processed by any), rebalances included, is the records/s column; "
                + "*all running* = records processed while every instance was processing / that interval. Records "
                + "re-delivered after a rebalance count as processed. CPU ns/record is over all instances; peak "
                + "memory is the largest instance's. The instances, the broker and the benchmark share the "
                + "machine's cores."
        case .keys:
            "`streamkit-bench kafka --keys K` and `streamkit-bench dsl --keys K`: the same pipelines as above with "
                + "K symbols, round robin, so the open (key, window) state grows with K up to the records per "
                + "window. CPU ns/record is process CPU time (all threads, librdkafka's included) per record."
        case .timescale:
            "`streamkit-bench timescale`: market-tick rows (symbol, bid, ask, volumes, timestamptz, sequence) "
                + "into fresh plain tables on the local PostgreSQL: StreamKit's binary COPY; a TimescaleSink "
                + "upserting on (symbol, sequence), appended to and flushed every batch as the runtime does "
                + "(chunks of 10,000 rows as `MERGE INTO … USING unnest($1, …)` on PostgreSQL 15 — `INSERT … "
                + "ON CONFLICT` before it and on hypertables —, each column one binary array, all in one pipelined "
                + "transaction); and psql's own `\\copy` of the same rows from "
                + "CSV as the ceiling, into a plain table and into one with the same primary key (psql's time "
                + "includes starting psql and connecting). Peak memory is the benchmark process's, with all rows "
                + "held in memory."
        case .persistence:
            "`streamkit-bench persistence`: N JSON events (1 % bad, 5 % redeliveries of an earlier event) produced "
                + "to a fresh 3-partition topic, then the `event-persistence --backtest` executable timed as a whole "
                + "process, start to exit (group join, upserts by event_id, dead letters, final commit), and checked "
                + "with COUNT(*) = COUNT(DISTINCT event_id) = the distinct events sent; psql's `\\copy` of the rows "
                + "it stored into an empty table of the same shape beside it. `streamkit-bench persistence-latency`: "
                + "`event-persistence` on its embedded (in-process) cluster producing its demo events at a fixed "
                + "rate, each stamped with its send time; the benchmark polls the table's new heap pages and records "
                + "row visible − sent (poll interval 2 ms, included)."
        case .serdes:
            "`streamkit-bench serdes`: one market tick decoded and encoded N times per format on one core, best "
                + "of 3 runs; the JSONBenchmarks and AvroBenchmarks package-benchmark suites measure the same "
                + "operations with allocation counts."
        }
    }
}
