import Foundation

/// psql, the ceiling the database benchmarks compare with: `\copy` of the same rows from a CSV file.
enum Psql {
    /// The psql executable, or `nil` when it is not installed.
    static var executable: String? {
        ["/usr/bin/psql", "/usr/lib/postgresql/15/bin/psql"].first(where: FileManager.default.isExecutableFile)
    }

    /// Runs one psql `command` (a meta-command such as `\copy` included) against `conninfo` and returns how long
    /// psql took, starting it and connecting included; `nil` when psql is not installed.
    ///
    /// - Throws: When psql exits with a failure.
    static func time(_ command: String, conninfo: String) throws -> Duration? {
        guard let psql = executable else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: psql)
        // A password goes to psql in PGPASSWORD, not on its command line, where other users could read it.
        let (dbname, password) = splittingPassword(conninfo)
        if let password {
            process.environment = ProcessInfo.processInfo.environment.merging(["PGPASSWORD": password]) { $1 }
        }
        process.arguments = [
            "--quiet", "--no-psqlrc", "--set", "ON_ERROR_STOP=1", "--dbname", dbname, "--command", command,
        ]
        let started = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("psql failed (exit \(process.terminationStatus)) on: \(command.prefix(60))")
        }
        return ContinuousClock.now - started
    }

    /// A file for CSV rows in the temporary directory, named after `purpose` and this process.
    static func temporaryFile(_ purpose: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("streamkit-bench-\(purpose)-\(getpid()).csv")
    }

    /// The connection string without its password, and the password: from a URL's user information or a
    /// `password=` key of a key=value string (unquoted values only).
    static func splittingPassword(_ conninfo: String) -> (conninfo: String, password: String?) {
        if conninfo.contains("://") {
            guard var components = URLComponents(string: conninfo), let password = components.password else {
                return (conninfo, nil)
            }
            components.password = nil
            return (components.string ?? conninfo, password)
        }
        var password: String?
        let kept = conninfo.split(separator: " ").filter { pair in
            guard pair.hasPrefix("password=") else { return true }
            password = String(pair.dropFirst("password=".count))
            return false
        }
        return (kept.joined(separator: " "), password)
    }

    /// `conninfo` with `search_path` set to `schema` (and UTC as the time zone), for psql and the examples.
    static func url(_ conninfo: String, schema: String) -> String {
        let options = "-c search_path=\(schema),public -c TimeZone=UTC"
        guard conninfo.contains("://") else { return conninfo + " options='\(options)'" }
        let encoded = options.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return conninfo + (conninfo.contains("?") ? "&" : "?") + "options=\(encoded)"
    }
}
