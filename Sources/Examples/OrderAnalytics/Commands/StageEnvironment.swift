import ArgumentParser
import ExampleSupport
import Logging
import StreamKit
import StreamKitKafka
import StreamKitTimescale

/// What every command sets up from its flags: the logger, the Kafka cluster, the value codec and topics, and the
/// runner that serves the operations endpoints.
struct StageEnvironment {
    let logger: Logger
    let runner: ExampleRunner
    let broker: KafkaBroker
    let codec: OrderCodec
    let pipeline: PipelineOptions
    let connection: ConnectionOptions

    /// Bootstraps logging and checks the Kafka configuration, so that a bad one stops the command at start.
    init(
        label: String, connection: ConnectionOptions, pipeline: PipelineOptions, logging: LoggingOptions,
        operations: OperationsOptions?
    ) throws {
        logger = logging.bootstrap(label: label)
        runner = ExampleRunner(operations, logger: logger)
        codec = try pipeline.makeCodec(connection)
        broker = try connection.makeBroker(logger: logger)
        self.pipeline = pipeline
        self.connection = connection
    }

    /// The app of `stage`, exactly once (outputs, changelogs and offsets in one transaction; inputs read
    /// committed, so the gateway's aborted transactions are never seen).
    func makeApp(stage: String, replay: ReplayOptions) throws -> StreamApp {
        try StreamApp(
            name: replay.applicationName(pipeline.applicationID(stage)), broker: broker, guarantee: .exactlyOnce,
            instanceID: pipeline.naming.instanceID, logger: logger, metrics: runner.metrics)
    }

    /// Creates the topics that do not exist yet, with `--partitions`.
    func createTopics(_ names: [String]) async throws {
        try await broker.createTopics(names.map { TopicSpec(name: $0, partitions: pipeline.partitions) })
    }

    /// Connects to `--timescale-url`; the error never repeats the URL (it may hold a password).
    func connectDatabase() async throws -> TimescaleConnection? {
        guard let url = connection.resolvedTimescaleURL else { return nil }
        do {
            return try await TimescaleConnection.connect(url, logger: logger)
        } catch {
            throw ValidationError("--timescale-url/TIMESCALE_URL: cannot connect: \(error)")
        }
    }

    /// One line on where the command runs, for the top of its output.
    func banner(_ what: String) -> String {
        "order-analytics \(what): \(connection.kafkaDescription), topics \(pipeline.topics.prefix)*, "
            + "values \(codec.formatName)"
    }
}
