import ArgumentParser
import ExampleSupport
import Foundation
import ServiceLifecycle
import StreamKit
import StreamKitOperations

/// `order-analytics all` (the default): the gateway and every stage in this process.
struct AllCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Run the gateway and every stage in this process; with a demo load by default.",
        discussion: """
            With --demo-orders N (default 300) it posts N sample orders (spread over the last two hours, with a \
            burst of grinder orders, every tenth posted twice as a retry, and two invalid ones) to its own \
            gateway, runs aggregate to the end of that input, lets trends and etl catch up, prints the tables \
            and stops. With --demo-orders 0 it serves until SIGINT/SIGTERM or --duration. The etl stage runs \
            when --timescale-url or TIMESCALE_URL is set. The operations endpoints on --metrics-port report the \
            aggregate stage (/health, /ready) and every stage's metrics (/metrics).
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var replay: ReplayOptions
    @OptionGroup var operations: OperationsOptions
    @OptionGroup var logging: LoggingOptions

    @Option(help: "Sample orders to post to the gateway (0: no demo, serve until stopped).")
    var demoOrders = 300

    @Option(help: "Random seed of the demo orders.")
    var seed: UInt64 = 42

    func validate() throws {
        guard demoOrders >= 0 else { throw ValidationError("--demo-orders must be 0 or more") }
        if replay.backtest {
            throw ValidationError(
                "--backtest is for the stage subcommands; all ends a demo run at the end of its input by itself")
        }
        _ = try pipeline.makeCodec(connection)
    }

    func run() async throws {
        let environment = try StageEnvironment(
            label: "order-analytics", connection: connection, pipeline: pipeline, logging: logging,
            operations: operations)
        let topics = pipeline.topics
        let codec = environment.codec
        let database = try await environment.connectDatabase()
        var sinks: OrderWarehouse.Sinks?
        if let database { sinks = try await OrderWarehouse.makeSinks(on: database) }
        try await environment.createTopics([
            topics.orderEvents, topics.productViews, topics.orderAggregates, topics.trendAlerts,
        ])
        try await codec.registerWriterSchemas([
            (codec.orderAggregateSchema, topics.orderAggregates), (codec.trendAlertSchema, topics.trendAlerts),
        ])
        let pipeline = try Pipeline(environment, replay: replay, sinks: sinks, isDemo: demoOrders > 0)
        let host = gateway.host == "0.0.0.0" ? "127.0.0.1" : gateway.host
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let stack = try await GatewayStack.make(environment, options: gateway) { port in
            Console.line("gateway listening on http://\(host):\(port)")
            listening.yield(port)
            listening.finish()
        }
        Console.line(environment.banner("all"))
        if let sinks { Console.line(OrderWarehouse.describe(sinks)) }

        // The operations endpoints report aggregate, the first stage; /metrics holds every stage's metrics.
        if demoOrders > 0 {
            // The demo ends the group when it is done; the gateway, etl and trends then stop in that order.
            let (count, seed) = (demoOrders, seed)
            let demo = ClosureService {
                guard let port = await ports.first(where: { _ in true }) else { return }
                try await Self.runDemo(
                    pipeline, orders: count, seed: seed, gateway: URL(string: "http://\(host):\(port)")!)
            }
            try await environment.runner.run(
                pipeline.followers + [stack, demo], reporting: pipeline.aggregate, stoppingAfter: replay.runDuration)
        } else {
            // Until SIGINT/SIGTERM or --duration: the gateway stops taking orders first, then each stage.
            try await environment.runner.run(
                [StreamAppService(pipeline.aggregate)] + pipeline.followers + [stack], reporting: pipeline.aggregate,
                stoppingAfter: replay.runDuration)
        }
        Console.line(pipeline.summary)
        await database?.close()
    }

    private static func runDemo(_ pipeline: Pipeline, orders demoOrders: Int, seed: UInt64, gateway: URL)
        async throws
    {
        let orders = DemoLoad.orders(
            count: demoOrders, endMs: Int64(Date().timeIntervalSince1970 * 1_000), seed: seed)
        let outcome = try await DemoLoad.post(orders, to: gateway)
        Console.line(
            "demo: posted \(demoOrders) orders, \((demoOrders + 9) / 10) of them twice (a client retry), and 2 invalid "
                + "ones: \(outcome.accepted) answered 202 (\(outcome.duplicates) as duplicates), "
                + "\(outcome.rejected.count) rejected")
        for rejection in outcome.rejected { Console.line("  rejected: \(rejection)") }
        try await pipeline.runToEndOfInput()
    }
}

extension AllCommand {
    /// The three stages as apps of one process, with the counts that tell when each has caught up.
    final class Pipeline: @unchecked Sendable {
        // @unchecked Sendable: the apps are only run (each by one task) and the tallies and tables are
        // thread-safe; nothing else is mutated after init.
        let aggregate: StreamApp
        let trends: StreamApp
        let etl: StreamApp?
        let aggregates = OrderTables.aggregates()
        let alerts = OrderTables.alerts()
        let trendsInput = Tally()
        let etlAggregates = Tally()
        let etlAlerts = Tally()

        init(_ environment: StageEnvironment, replay: ReplayOptions, sinks: OrderWarehouse.Sinks?, isDemo: Bool) throws
        {
            let options = environment.pipeline
            let codec = environment.codec
            aggregate = try environment.makeApp(stage: "aggregate", replay: replay)
            OrderAggregation.build(
                in: aggregate, options: options, codec: codec,
                grace: isDemo ? OrderAggregation.untilEndOfInput : .seconds(30), closeAfterIdle: nil
            ).to(aggregates)
            trends = try environment.makeApp(stage: "trends", replay: replay)
            let detection = TrendDetection.build(in: trends, options: options, codec: codec)
            _ = detection.input.peek { [trendsInput] _ in trendsInput.increment() }
            detection.alerts.to(alerts)
            if let sinks {
                let etl = try environment.makeApp(stage: "etl", replay: replay)
                let inputs = OrderWarehouse.build(in: etl, options: options, codec: codec, sinks: sinks)
                _ = inputs.aggregates.peek { [etlAggregates] _ in etlAggregates.increment() }
                _ = inputs.alerts.peek { [etlAlerts] _ in etlAlerts.increment() }
                self.etl = etl
            } else {
                etl = nil
            }
        }

        /// The stages that read what aggregate writes, as services: trends, and etl with a database.
        var followers: [any Service] { [StreamAppService(trends)] + (etl.map { [StreamAppService($0)] } ?? []) }

        /// Runs aggregate to the end of its input (closing every window), then waits, for a minute at most, until
        /// trends and then etl have read everything written after them. A graceful shutdown stops aggregate.
        func runToEndOfInput() async throws {
            let aggregate = aggregate
            try await withGracefulShutdownHandler {
                try await aggregate.run(mode: .untilIdle(.seconds(3)))
            } onGracefulShutdown: {
                aggregate.stop()
            }
            let deadline = ContinuousClock.now + .seconds(60)
            try await Self.wait(until: deadline) { [self] in trendsInput.value >= aggregates.count }
            guard etl != nil else { return }
            try await Self.wait(until: deadline) { [self] in
                etlAggregates.value >= aggregates.count && etlAlerts.value >= alerts.count
            }
        }

        /// Polls `isDone` until it holds, `deadline` passes, or a graceful shutdown begins.
        private static func wait(until deadline: ContinuousClock.Instant, for isDone: () -> Bool) async throws {
            while !isDone(), ContinuousClock.now < deadline, !Task.isShuttingDownGracefully {
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        var summary: String {
            "\nall: \(aggregates.count) windows on order_aggregates, "
                + "\(alerts.count) alerts on trend_alerts"
                + (etl == nil
                    ? " (set TIMESCALE_URL to store them in PostgreSQL/TimescaleDB)" : ", stored in the database")
        }
    }
}
