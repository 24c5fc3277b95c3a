import ArgumentParser
import Logging

/// `--log-level`, and the process-wide log handler set up from it.
package struct LoggingOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error or critical.")
    package var logLevel: Logger.Level = .notice

    package init() {}

    /// Sends logs to standard error at `--log-level`, and returns a logger labelled `label`.
    ///
    /// Call once, at the start of `run()`: swift-log's bootstrap is process-wide.
    package func bootstrap(label: String) -> Logger {
        let level = logLevel
        LoggingSystem.bootstrap { name in
            var handler = StreamLogHandler.standardError(label: name)
            handler.logLevel = level
            return handler
        }
        return Logger(label: label)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
