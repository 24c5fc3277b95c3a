import Foundation

/// A test double of the Confluent Schema Registry: Python's `http.server` on 127.0.0.1, reduced to the two
/// endpoints a producer and a consumer use (register a subject version, fetch a schema by id). No real registry
/// runs here; this one is a fake and named so. It needs `python3`.
package final class SchemaRegistryTestDouble {
    /// The double did not start.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// `http://127.0.0.1:<port>`.
    package let url: String
    private let process: Process
    /// Closing it stops the server: the script exits at the end of its stdin, so it also goes when the tests die.
    private let lifeline = Pipe()

    /// Starts the server on a free port.
    package init() throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardInput = lifeline
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw Failure(description: "the registry test double did not start") }
            line += chunk
        }
        url =
            "http://127.0.0.1:" + String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit {
        // SIGKILL without waiting: Foundation can miss a child's exit on Linux, and reaps it when it notices.
        try? lifeline.fileHandleForWriting.close()
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    private static let script = #"""
        import json, os, re, sys, threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        schemas = []
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args): pass

            def reply(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if not re.fullmatch(r"/subjects/[^/]+/versions", self.path):
                    return self.reply(404, {"error_code": 404, "message": "no such endpoint"})
                with lock:
                    if body["schema"] not in schemas:
                        schemas.append(body["schema"])
                    self.reply(200, {"id": schemas.index(body["schema"]) + 1})

            def do_GET(self):
                m = re.fullmatch(r"/schemas/ids/(\d+)", self.path)
                with lock:
                    if m and 1 <= int(m.group(1)) <= len(schemas):
                        return self.reply(200, {"schema": schemas[int(m.group(1)) - 1]})
                self.reply(404, {"error_code": 40403, "message": "Schema not found"})

        def exit_at_end_of_stdin():
            sys.stdin.read()
            os._exit(0)

        threading.Thread(target=exit_at_end_of_stdin, daemon=True).start()
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#
}
