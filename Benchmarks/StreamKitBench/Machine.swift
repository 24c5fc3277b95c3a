import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Facts about the machine and process for the report header, and the clocks the benchmarks use.
enum Machine {
    /// Online CPU cores.
    static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// The CPU model from `/proc/cpuinfo`, or "unknown".
    static var cpuModel: String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "unknown"
    }

    /// Installed memory (`MemTotal` in `/proc/meminfo`), in bytes; 0 when unknown.
    static var memoryBytes: Int { procField("/proc/meminfo", "MemTotal:") * 1_024 }

    /// The 1, 5 and 15 minute load averages, as `/proc/loadavg` gives them.
    static var loadAverage: String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// Peak resident memory of this process since the last `resetPeakMemory()`, in bytes: `VmHWM` from
    /// `/proc/self/status`, or `getrusage`'s `ru_maxrss` (the peak since the process started) where that is missing.
    static var peakMemoryBytes: Int {
        let highWaterMark = procField("/proc/self/status", "VmHWM:")
        if highWaterMark > 0 { return highWaterMark * 1_024 }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) * 1_024
    }

    /// Starts a new peak-memory measurement (Linux: writing 5 to `/proc/self/clear_refs` resets `VmHWM`), so each
    /// phase of a benchmark reports its own peak. Without it, peaks are since the process started.
    static func resetPeakMemory() {
        let descriptor = open("/proc/self/clear_refs", O_WRONLY)
        guard descriptor >= 0 else { return }
        _ = write(descriptor, "5", 1)
        close(descriptor)
    }

    /// The number (kB for memory fields) after `label` in a `/proc` file of `label value` lines; 0 when absent.
    private static func procField(_ path: String, _ label: String) -> Int {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(label) {
            return Int(line.dropFirst(label.count).split(separator: " ").first ?? "") ?? 0
        }
        return 0
    }

    /// CPU time (user + system) this process has used so far, all threads (librdkafka's included).
    static var cpuTime: Duration {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func duration(_ time: timeval) -> Duration { .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec)) }
        return duration(usage.ru_utime) + duration(usage.ru_stime)
    }

    /// Wall-clock microseconds since the Unix epoch: comparable across processes on one machine.
    static func wallMicroseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1_000
    }

    /// Wall-clock milliseconds since the Unix epoch.
    static func wallMilliseconds() -> Int64 { wallMicroseconds() / 1_000 }

    static func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name]
    }
}

/// A two-column report: the machine and date first, then the figures.
struct Report {
    let title: String
    private var rows: [(String, String)] = []

    init(title: String) {
        self.title = title
        rows.append(("machine", "\(Machine.cores) cores, \(Machine.cpuModel)"))
        rows.append(("date", Date().formatted(.iso8601)))
    }

    mutating func add(_ name: String, _ value: String) { rows.append((name, value)) }

    func print() {
        let width = rows.map(\.0.count).max() ?? 0
        let line = String(repeating: "-", count: max(title.count, 60))
        Swift.print("\n\(title)\n\(line)")
        for (name, value) in rows {
            Swift.print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value)
        }
        Swift.print(line)
    }
}

/// Human-readable figures.
enum Format {
    static func rate(_ count: Int, _ duration: Duration) -> String {
        "\(grouped(Int(perSecond(count, duration).rounded()))) records/s"
    }

    static func perSecond(_ count: Int, _ duration: Duration) -> Double {
        Double(count) / max(duration.seconds, 1e-9)
    }

    static func grouped(_ value: Int) -> String {
        value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.3f s", duration.seconds)
    }

    static func bytes(_ count: Int) -> String {
        String(format: "%.1f MiB", Double(count) / 1_048_576)
    }

    static func megabytesPerSecond(_ bytes: Int, _ duration: Duration) -> String {
        String(format: "%.1f MiB/s", Double(bytes) / 1_048_576 / max(duration.seconds, 1e-9))
    }

    static func percent(_ ratio: Double) -> String { String(format: "%.1f %%", ratio * 100) }

    static func milliseconds(microseconds: Int) -> String { String(format: "%.3f ms", Double(microseconds) / 1_000) }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
