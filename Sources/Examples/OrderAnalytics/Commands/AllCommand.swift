import ArgumentParser
import ExampleSupport
import Foundation
import StreamKit

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
            when --timescale-url or TIMESCALE_URL is set.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var replay: ReplayOptions
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
            label: "order-analytics", connection: connection, pipeline: pipeline, logging: logging)
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
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let stack = try await GatewayStack.make(environment, options: gateway) { port in
            listening.yield(port)
            listening.finish()
        }
        print(environment.banner("all"))
        if let sinks { print(OrderWarehouse.describe(sinks)) }

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await stack.run() }
            guard let port = await ports.first(where: { _ in true }) else { return }
            let host = gateway.host == "0.0.0.0" ? "127.0.0.1" : gateway.host
            print("gateway listening on http://\(host):\(port)")
            if demoOrders > 0 {
                try await runDemo(pipeline, gateway: URL(string: "http://\(host):\(port)")!)
                group.cancelAll()
            } else {
                group.addTask { try await pipeline.serve(for: replay.runDuration) }
                // The first to end ends both: the gateway on SIGINT/SIGTERM, the stages after --duration.
                try await group.next()
                group.cancelAll()
            }
            try await group.waitForAll()
        }
        print(pipeline.summary)
        await database?.close()
    }

    private func runDemo(_ pipeline: Pipeline, gateway: URL) async throws {
        let orders = DemoLoad.orders(
            count: demoOrders, endMs: Int64(Date().timeIntervalSince1970 * 1_000), seed: seed)
        let outcome = try await DemoLoad.post(orders, to: gateway)
        print(
            "demo: posted \(demoOrders) orders, \((demoOrders + 9) / 10) of them twice (a client retry), and 2 invalid "
                + "ones: \(outcome.accepted) answered 202 (\(outcome.duplicates) as duplicates), "
                + "\(outcome.rejected.count) rejected")
        for rejection in outcome.rejected { print("  rejected: \(rejection)") }
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

        /// Runs every stage as a service until the first one ends, `limit` passes, or the task is cancelled.
        func serve(for limit: Duration?) async throws {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for app in [aggregate, trends] + (etl.map { [$0] } ?? []) {
                    group.addTask(operation: Self.runner(app))
                }
                if let limit { group.addTask { try await Task.sleep(for: limit) } }
                try await group.next()
                group.cancelAll()
                try await group.waitForAll()
            }
        }

        /// Runs aggregate to the end of its input (closing every window), then trends and etl until they have
        /// read everything written after them.
        func runToEndOfInput() async throws {
            let trendsRun = Task(operation: Self.runner(trends))
            let etlRun = etl.map { Task(operation: Self.runner($0)) }
            try await aggregate.run(mode: .backtest(idle: .seconds(3)))
            try await Self.stop(trendsRun) { [self] in trendsInput.value >= aggregates.count }
            if let etlRun {
                try await Self.stop(etlRun) { [self] in
                    etlAggregates.value >= aggregates.count && etlAlerts.value >= alerts.count
                }
            }
        }

        /// `app.run()` as a sendable operation for a child task.
        private static func runner(_ app: StreamApp) -> @Sendable () async throws -> Void {
            // Each app is run by exactly one task and touched by no other after this.
            nonisolated(unsafe) let app = app
            return { try await app.run() }
        }

        /// Cancels `run` (a final checkpoint follows) once `isCaughtUp`, or after a minute.
        private static func stop(_ run: Task<Void, any Error>, when isCaughtUp: @escaping () -> Bool) async throws {
            let deadline = ContinuousClock.now + .seconds(60)
            while !isCaughtUp(), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            run.cancel()
            try await run.value
        }

        var summary: String {
            "\nall: \(aggregates.count) windows on order_aggregates, "
                + "\(alerts.count) alerts on trend_alerts"
                + (etl == nil
                    ? " (set TIMESCALE_URL to store them in PostgreSQL/TimescaleDB)" : ", stored in the database")
        }
    }
}
