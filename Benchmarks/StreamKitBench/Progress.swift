import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A progress bar on stderr, redrawn every 200 ms on a terminal and every 10 % otherwise.
///
/// `advance` is a relaxed atomic add, cheap enough for a per-record hot path.
final class Progress: Sendable {
    private let label: String
    private let total: Int
    private let unit: String
    private let done = Atomic<Int>(0)
    private let running = Atomic<Bool>(true)
    private let started = ContinuousClock.now
    private let isTerminal = isatty(STDERR_FILENO) != 0

    init(_ label: String, total: Int, unit: String = "records") {
        self.label = label
        self.total = max(total, 1)
        self.unit = unit
    }

    func advance(by count: Int = 1) { done.add(count, ordering: .relaxed) }

    func set(_ count: Int) { done.store(count, ordering: .relaxed) }

    /// Draws until `finish()`.
    func start() -> Task<Void, Never> {
        Task.detached { [self] in
            var lastDecile = -1
            while running.load(ordering: .relaxed) {
                let count = done.load(ordering: .relaxed)
                let decile = min(count * 10 / total, 10)
                if isTerminal || decile != lastDecile {
                    draw(count, final: false)
                    lastDecile = decile
                }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// Stops drawing and draws the final line; later calls do nothing.
    func finish() {
        guard running.exchange(false, ordering: .relaxed) else { return }
        draw(done.load(ordering: .relaxed), final: true)
    }

    private func draw(_ count: Int, final: Bool) {
        let width = 30
        let fraction = min(Double(count) / Double(total), 1)
        let filled = Int(fraction * Double(width))
        let elapsed = (ContinuousClock.now - started).seconds
        let rate = elapsed > 0 ? Double(count) / elapsed : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let text = "\(label) [\(bar)] \(Int(fraction * 100))% \(count)/\(total) \(unit) \(Int(rate))/s"
        let end = final || !isTerminal ? "\n" : ""
        FileHandle.standardError.write(Data(((isTerminal ? "\r" : "") + text + end).utf8))
    }
}
