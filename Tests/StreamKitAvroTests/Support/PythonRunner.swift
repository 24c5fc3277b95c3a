import StreamKitTestSupport

/// Runs Python snippets in a subprocess (a ``ChildProcess``) for the interop tests.
enum PythonRunner {
    /// Runs `script` with `python3`, feeding `input` on stdin; returns stdout, throws with stderr on failure.
    static func run(_ script: String, input: String = "") async throws -> String {
        let process = try ChildProcess("python3", ["-c", script], input: .text(input))
        try await process.expectSuccess(within: .seconds(300))
        return process.stdout
    }

    /// Installs fastavro from PyPI when it is missing (`pip install fastavro`); false when that is impossible.
    static func ensureFastavro() async -> Bool {
        if (try? await run("import fastavro")) != nil { return true }
        _ = try? await run(
            "import subprocess, sys; subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', 'fastavro'], check=True)"
        )
        return (try? await run("import fastavro")) != nil
    }
}
