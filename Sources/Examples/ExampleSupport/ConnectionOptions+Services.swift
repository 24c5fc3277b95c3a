import ArgumentParser
import Logging
import StreamKitKafka
import StreamKitTimescale

extension ConnectionOptions {
    /// The Kafka broker the flags name, checked now: a bad property or an unusable address fails at start
    /// with a message naming `--brokers`/`--kafka-property`, not at the first poll.
    package func makeBroker(logger: Logger) throws -> KafkaBroker {
        let broker = KafkaBroker(kafkaEndpoint, logger: logger)
        do {
            try broker.validate()
        } catch {
            throw ValidationError("--brokers/--kafka-property (or KAFKA_BROKERS): \(error)")
        }
        return broker
    }

    /// A connection to the database `--timescale-url` or `TIMESCALE_URL` names, or `nil` when neither is set.
    ///
    /// The URL is parsed now (a bad one fails with a message naming `--timescale-url`); the connection is
    /// opened by its first use, retrying with `reconnectPolicy`.
    package func makeTimescaleConnection(
        reconnectPolicy: TimescaleConnection.ReconnectPolicy = .init(), logger: Logger
    ) throws -> TimescaleConnection? {
        guard let url = resolvedTimescaleURL else { return nil }
        do {
            return try TimescaleConnection(url, reconnectPolicy: reconnectPolicy, logger: logger)
        } catch {
            throw ValidationError("--timescale-url (or TIMESCALE_URL): \(error)")
        }
    }
}

extension TimescaleSink {
    /// Connects and creates the sink's table now, so an unreachable database or a refused `CREATE TABLE` fails
    /// the example at start with a message naming `--timescale-url`, not at its first checkpoint.
    package func prepareAtStart() async throws {
        do {
            try await prepare()
        } catch {
            throw ValidationError("--timescale-url (or TIMESCALE_URL): cannot set up table \(table.name): \(error)")
        }
    }
}
