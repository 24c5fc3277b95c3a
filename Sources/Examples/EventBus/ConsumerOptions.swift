import ArgumentParser
import ExampleSupport
import Logging
import StreamKit

/// The flags of the commands that run the recommendation consumer (`recommend` and `all`), and the app they
/// build from them.
struct ConsumerOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var naming: NamingOptions
    @OptionGroup var replay: ReplayOptions

    @Option(help: "Rows of the table kept on a terminal.")
    var show = 20

    @OptionGroup var operations: OperationsOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard show > 0 else { throw ValidationError("--show must be positive") }
    }

    /// The app (named `--app-id` or `defaultName`, fresh with `--from-beginning`) with the consumer in it, its
    /// outputs, the counters it keeps, and the runner that serves its operations endpoints.
    func makeConsumer(
        defaultName: String
    ) async throws -> (
        pipeline: EventBusPipeline, outputs: RecommenderOutputs, counters: EventBusCounters, runner: ExampleRunner
    ) {
        let logger = logging.bootstrap(label: defaultName)
        let broker = try connection.makeBroker(logger: logger)
        let runner = ExampleRunner(operations, logger: logger)
        let app = try StreamApp(
            name: replay.applicationName(naming.appName(default: defaultName)), broker: broker,
            instanceID: naming.instanceID, errors: EventBusPipeline.errorPolicy(naming: naming), logger: logger,
            metrics: runner.metrics)
        let pipeline = EventBusPipeline(app: app, naming: naming)
        let counters = EventBusCounters()
        let outputs = try await RecommenderOutputs.make(
            connection: connection, show: show, counters: counters, logger: logger)
        pipeline.recommend(counters: counters, table: outputs.table, database: outputs.database)
        return (pipeline, outputs, counters, runner)
    }
}
