// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "StreamKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "StreamKit", targets: ["StreamKit"]),
        .library(name: "StreamKitKafka", targets: ["StreamKitKafka"]),
        .library(name: "StreamKitTimescale", targets: ["StreamKitTimescale"]),
        .executable(name: "market-pipeline", targets: ["MarketPipeline"]),
        .executable(name: "streamkit-bench", targets: ["StreamKitBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
        // Tests only: ExamplesTests parses docker-compose.yml and the deploy/ configuration.
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        // MARK: - Core
        .target(
            name: "StreamKit",
            dependencies: [
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
            dependencies: ["StreamKit", "CRdKafka", "CAvro", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "StreamKitTimescale",
            dependencies: ["StreamKit", "CLibPQ", .product(name: "Logging", package: "swift-log")]
        ),

        // MARK: - Examples
        .target(
            name: "ExampleSupport",
            dependencies: [
                "StreamKit",
                "StreamKitKafka",
                "StreamKitTimescale",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Examples/ExampleSupport"
        ),
        .executableTarget(
            name: "MarketPipeline",
            dependencies: [
                "StreamKit",
                "ExampleSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/Examples/MarketPipeline"
        ),

        // MARK: - Benchmarks
        .executableTarget(
            name: "StreamKitBench",
            dependencies: [
                "StreamKit",
                "StreamKitKafka",
                "StreamKitTimescale",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/StreamKitBench"
        ),
        .executableTarget(
            name: "DataFrameBenchmarks",
            dependencies: [
                "StreamKit",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/DataFrameBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "JSONBenchmarks",
            dependencies: [
                "StreamKit",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/JSONBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "AvroBenchmarks",
            dependencies: [
                "StreamKitKafka",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/AvroBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),

        // MARK: - Tests
        .testTarget(
            name: "StreamKitTests",
            dependencies: [
                "StreamKit", .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
        .testTarget(name: "StreamKitKafkaTests", dependencies: ["StreamKitKafka"]),
        .testTarget(name: "StreamKitTimescaleTests", dependencies: ["StreamKitTimescale"]),
        // Runs the example executables as separate processes; they must be built first (`swift build --build-tests`).
        .testTarget(
            name: "ExamplesTests",
            dependencies: [
                "StreamKit", "StreamKitKafka", "StreamKitTimescale", "ExampleSupport",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
