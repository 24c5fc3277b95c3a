// swift-tools-version: 6.1
// StreamKit's benchmarks, a package of their own so that building and testing the library never compiles
// package-benchmark: the `streamkit-bench` CLI (live broker and database runs, written up by scripts/bench) and the
// package-benchmark suites (`swift package --disable-sandbox benchmark` in this directory).
import PackageDescription

let package = Package(
    name: "StreamKitBenchmarks",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "streamkit-bench", targets: ["StreamKitBench"])
    ],
    dependencies: [
        .package(name: "StreamKit", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "StreamKitBench",
            dependencies: [
                .product(name: "StreamKit", package: "StreamKit"),
                .product(name: "StreamKitKafka", package: "StreamKit"),
                .product(name: "StreamKitAvro", package: "StreamKit"),
                .product(name: "StreamKitTimescale", package: "StreamKit"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "StreamKitBench"
        ),
        suite("DataFrameBenchmarks", library: "StreamKit"),
        suite("JSONBenchmarks", library: "StreamKitJSON"),
        suite("AvroBenchmarks", library: "StreamKitAvro"),
    ],
    swiftLanguageModes: [.v6]
)

/// A package-benchmark suite in `<name>/` over one of the library's products.
func suite(_ name: String, library: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: [
            .product(name: library, package: "StreamKit"),
            .product(name: "Benchmark", package: "benchmark"),
        ],
        path: name,
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}
