import Foundation
import StreamKitTestSupport

/// One example program run as a separate process (the shared ``ChildProcess``).
typealias ExampleProcess = ChildProcess

extension ChildProcess {
    /// Starts the built example `executable` (a product name, e.g. `market-pipeline`) with `arguments`, adding
    /// `environment` to this process's environment. Its operations endpoints listen on a free port
    /// (`METRICS_PORT=0`, unless `environment` or `--metrics-port` says otherwise), so examples run side by side
    /// never contend for 9464.
    convenience init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let path = Self.executableURL(executable).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure(description: "\(path) is not built; run `swift build --build-tests` first")
        }
        var env = ["METRICS_PORT": "0"]
        for (key, value) in environment { env[key] = value }
        try self.init(path, arguments, environment: env, name: executable)
    }

    /// The built executable named `product`: it sits next to the test bundle in the build folder.
    static func executableURL(_ product: String) -> URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = bundle.deletingLastPathComponent()
        // swift-testing on Linux may run from inside `<Package>PackageTests.xctest`; the products sit beside it.
        if folder.lastPathComponent.hasSuffix(".xctest") { folder = folder.deletingLastPathComponent() }
        return folder.appendingPathComponent(product)
    }
}
