import ArgumentParser
import Dispatch
import Logging
import StreamKit
import StreamKitKafka

#if canImport(Glibc)
    import Glibc
#endif

/// `streamkit-chaos-worker`: one instance of the chaos suite's windowed pipeline (``ChaosPipeline``) on a Kafka
/// cluster. The suite starts several with the same `--app-id`, so they share the consumer group, and stops them
/// with SIGTERM (a graceful leave: finish the batch, checkpoint, leave the group, exit 0) or SIGKILL (death).
@main
struct ChaosWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "streamkit-chaos-worker",
        abstract: "One instance of the chaos suite's pipeline: readings → keyBy site → 1-minute windows → output.",
        discussion: """
            Reads JSON readings {"sensor","site","value","ts_ms"} keyed by sensor from --input, re-keys them by \
            site through <app-id>-by-site-repartition, counts and sums them in 1-minute tumbling windows with a \
            day of grace, and writes one {"site","window_start","window_end","count","sum"} per closed window \
            to --output. SIGTERM or SIGINT stops it gracefully (exit 0); logs go to standard error.
            """)

    /// The delivery guarantee, as the flag spells it.
    enum Guarantee: String, ExpressibleByArgument, CaseIterable {
        case atLeastOnce = "at-least-once"
        case exactlyOnce = "exactly-once"

        var processingGuarantee: ProcessingGuarantee {
            switch self {
            case .atLeastOnce: .atLeastOnce
            case .exactlyOnce: .exactlyOnce
            }
        }
    }

    @Option(help: "Kafka bootstrap servers, host:port[,host:port…].")
    var brokers: String

    @Option(name: .customLong("app-id"), help: "The app's name: its consumer group and internal-topic prefix.")
    var appID: String

    @Option(
        name: .customLong("instance-id"),
        help:
            "This instance's name, stable across its restarts (exactly-once: transactional id <app-id>-<instance-id>).")
    var instanceID: String

    @Option(help: "at-least-once or exactly-once.")
    var guarantee: Guarantee = .atLeastOnce

    @Option(help: "The input topic of readings.")
    var input: String

    @Option(help: "The output topic of window results.")
    var output: String

    @Option(help: "Partitions of the input and repartition topics when the app creates them.")
    var partitions: Int = 4

    @Flag(help: "Join the group as static member <app-id>-<instance-id> (group.instance.id).")
    var staticMembership = false

    @Option(
        name: .customLong("kafka-property"),
        help: "A librdkafka property name=value for every client (repeatable); overrides the worker's defaults.")
    var kafkaProperties: [String] = []

    func validate() throws {
        guard partitions > 0 else { throw ValidationError("--partitions must be positive") }
        for property in kafkaProperties where !property.contains("=") {
            throw ValidationError("--kafka-property \(property): write name=value")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        var logger = Logger(label: "chaos-worker")
        logger[metadataKey: "instance"] = "\(instanceID)"

        let app = try StreamApp(
            name: appID, broker: .kafka(kafkaConfiguration()), guarantee: guarantee.processingGuarantee,
            instanceID: instanceID, logger: logger)
        ChaosPipeline.build(in: app, input: input, output: output, partitions: partitions)

        // SIGTERM and SIGINT ask the app to stop; `run()` then returns after its final checkpoint. The sources
        // live until the end of this function, and `app.stop()` is safe from any thread.
        let signals = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                logger.info("signal \(number): stopping gracefully")
                app.stop()
            }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }

        logger.info("started pid \(getpid()) as \(guarantee.rawValue) on \(input) → \(output)")
        try await app.run()
        logger.info("stopped")
    }

    /// The client configuration: group timings short enough for a test to see rebalances within seconds.
    func kafkaConfiguration() -> KafkaConfiguration {
        var configuration = KafkaConfiguration(bootstrapServers: brokers)
        configuration.properties["session.timeout.ms"] = "6000"
        configuration.properties["heartbeat.interval.ms"] = "500"
        // The rebalance timeout: the development broker now and then never answers a JoinGroup, and only this timeout
        // ends the wait (see `ScaleOutGuaranteeTests.broker`); 30 s instead of 5 minutes.
        configuration.properties["max.poll.interval.ms"] = "30000"
        configuration.properties["topic.metadata.refresh.interval.ms"] = "1000"
        if staticMembership {
            configuration.properties["group.instance.id"] = "\(appID)-\(instanceID)"
        }
        for property in kafkaProperties {
            let parts = property.split(separator: "=", maxSplits: 1)
            configuration.properties[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return configuration
    }
}
