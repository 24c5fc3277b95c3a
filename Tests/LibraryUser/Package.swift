// swift-tools-version: 6.1
// A package as a StreamKit user writes it (README, "Use StreamKit in your package"): it sees StreamKit only through
// its public products. `scripts/library-user` builds and runs it against this checkout.
import PackageDescription

let package = Package(
    name: "library-user",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../streamkit")],
    targets: [
        .executableTarget(
            name: "library-user",
            dependencies: [
                .product(name: "StreamKit", package: "streamkit"),
                .product(name: "StreamKitKafka", package: "streamkit"),
            ])
    ])
