import Foundation

/// What happened in one chaos run, line by line with the seconds since the run started: printed as it happens
/// and kept for the failure report.
final class ChaosTranscript: @unchecked Sendable {
    // @unchecked Sendable: `lines` is only touched under `lock`; `start` and `label` never change.
    private let lock = NSLock()
    private var lines: [String] = []
    private let start = ContinuousClock.now
    private let label: String

    init(label: String) { self.label = label }

    /// Milliseconds since the run started.
    var elapsedMs: Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    func note(_ text: String) {
        let ms = elapsedMs
        let line = "\(ms / 1_000).\(String(ms % 1_000 / 100))s \(text)"
        print("[\(label)] \(line)")
        // Live: `swift test` output is often a file or a pipe, where stdout would hold the lines back.
        fflush(nil)  // every output stream: naming `stdout` is not concurrency-safe in Swift 6
        lock.withLock { lines.append(line) }
    }

    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}
