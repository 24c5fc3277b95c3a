import Foundation

/// Runs Python snippets in a subprocess for the interop tests and the registry test double.
enum PythonRunner {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `script` with `python3`, feeding `input` on stdin; returns stdout, throws with stderr on failure.
    static func run(_ script: String, input: String = "") throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "python3 failed: " + String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Installs fastavro from PyPI when it is missing (`pip install fastavro`); false when that is impossible.
    static func ensureFastavro() -> Bool {
        if (try? run("import fastavro")) != nil { return true }
        _ = try? run(
            "import subprocess, sys; subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', 'fastavro'], check=True)"
        )
        return (try? run("import fastavro")) != nil
    }
}
