import ArgumentParser

/// The `--url` option shared by the database benchmarks, defaulting to `TIMESCALE_URL`.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "libpq URL or key=value string. Default: the TIMESCALE_URL environment variable.")
    var url: String?

    /// The connection string to use, or an error that says how to give or start a database. Never printed.
    func resolved() throws -> String {
        guard let conninfo = url ?? Machine.environment("TIMESCALE_URL"), !conninfo.isEmpty else {
            throw ValidationError("no database: pass --url or set TIMESCALE_URL (scripts/postgres start prints one)")
        }
        return conninfo
    }
}
