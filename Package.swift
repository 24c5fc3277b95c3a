// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "StreamKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "StreamKit", targets: ["StreamKit"]),
        .library(name: "StreamKitJSON", targets: ["StreamKitJSON"]),
        .library(name: "StreamKitKafka", targets: ["StreamKitKafka"]),
        .library(name: "StreamKitAvro", targets: ["StreamKitAvro"]),
        .library(name: "StreamKitTimescale", targets: ["StreamKitTimescale"]),
        .library(name: "StreamKitOperations", targets: ["StreamKitOperations"]),
        .executable(name: "market-pipeline", targets: ["MarketPipeline"]),
        .executable(name: "event-bus", targets: ["EventBus"]),
        .executable(name: "event-persistence", targets: ["EventPersistence"]),
        .executable(name: "order-analytics", targets: ["OrderAnalytics"]),
        .executable(name: "quick-start", targets: ["QuickStart"]),
        // The chaos suite's worker (Tests/ExamplesTests/Chaos runs it as separate processes).
        .executable(name: "streamkit-chaos-worker", targets: ["ChaosWorker"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
        // Tests only: ExamplesTests parses docker-compose.yml and the deploy/ configuration.
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // Operations: metrics export, health endpoints, graceful shutdown (StreamKitOperations).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // MARK: - Core
        // The JSON codec stands alone (no StreamKit type, no dependency); the core re-exports it.
        .target(name: "StreamKitJSON"),
        .target(
            name: "StreamKit",
            dependencies: [
                "StreamKitJSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),

        // MARK: - C libraries
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CAvro", pkgConfig: "avro-c", providers: [.apt(["libavro-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // MARK: - Adapters
        .target(
            name: "StreamKitKafka",
            dependencies: ["StreamKit", "CRdKafka", .product(name: "Logging", package: "swift-log")]
        ),
        // Avro, the Confluent wire format and the Schema Registry client: apart from the Kafka adapter, so that a
        // JSON-only Kafka pipeline builds without libavro.
        .target(name: "StreamKitAvro", dependencies: ["StreamKit", "CAvro"]),
        .target(
            name: "StreamKitTimescale",
            dependencies: ["StreamKit", "CLibPQ", .product(name: "Logging", package: "swift-log")]
        ),

        // MARK: - Operations
        .target(
            name: "StreamKitOperations",
            dependencies: [
                "StreamKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),

        // MARK: - Examples
        .target(
            name: "ExampleSupport",
            dependencies: [
                "StreamKit",
                "StreamKitKafka",
                "StreamKitTimescale",
                "StreamKitOperations",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Examples/ExampleSupport"
        ),
        example("MarketPipeline", extra: [.product(name: "Metrics", package: "swift-metrics")]),
        example("EventBus"),
        example("EventPersistence"),
        example("OrderAnalytics", extra: [.product(name: "Hummingbird", package: "hummingbird")]),
        // The one-file quick start names only the libraries a user's own package would.
        .executableTarget(
            name: "QuickStart", dependencies: ["StreamKit", "StreamKitKafka"], path: "Sources/Examples/QuickStart"),

        // MARK: - Tests
        // The one copy of the test helpers (environment, waiting, reading topics back, fixtures, test doubles),
        // `package` access so that it never becomes API.
        .target(
            name: "StreamKitTestSupport",
            dependencies: ["StreamKit", "StreamKitKafka", "StreamKitTimescale"],
            path: "Tests/StreamKitTestSupport"
        ),
        .testTarget(
            name: "StreamKitJSONTests",
            dependencies: [
                "StreamKitJSON", "StreamKitTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "StreamKitTests",
            dependencies: [
                "StreamKit", "StreamKitTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "StreamKitKafkaTests",
            dependencies: [
                "StreamKitKafka", "StreamKitTestSupport", .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "StreamKitAvroTests", dependencies: ["StreamKitAvro", "StreamKitTestSupport"]),
        .testTarget(name: "StreamKitTimescaleTests", dependencies: ["StreamKitTimescale", "StreamKitTestSupport"]),
        .testTarget(
            name: "StreamKitOperationsTests",
            dependencies: [
                "StreamKitOperations", "StreamKitKafka", "StreamKitTimescale", "StreamKitTestSupport",
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // One instance of the chaos suite's windowed pipeline; the suite starts, stops and kills several.
        .executableTarget(
            name: "ChaosWorker",
            dependencies: [
                "StreamKit",
                "StreamKitKafka",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ChaosWorker"
        ),
        // Runs the example executables as separate processes; they must be built first (`swift build --build-tests`).
        .testTarget(
            name: "ExamplesTests",
            dependencies: [
                "StreamKit", "StreamKitKafka", "StreamKitAvro", "StreamKitTimescale", "ExampleSupport",
                "StreamKitTestSupport",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

/// An example program in `Sources/Examples/<name>`: the library targets (Avro included, for the examples'
/// `--format avro`), the shared example support, operations (metrics, health, graceful shutdown) and the
/// command-line parser, plus whatever else the example needs.
func example(_ name: String, extra: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: [
            "StreamKit",
            "StreamKitKafka",
            "StreamKitAvro",
            "StreamKitTimescale",
            "StreamKitOperations",
            "ExampleSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ] + extra,
        path: "Sources/Examples/\(name)"
    )
}
