import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A test double of the Confluent Schema Registry: Python's `http.server` on 127.0.0.1 implementing the
/// endpoints `SchemaRegistryClient` uses, with the registry's error codes (40401, 40403), optional basic
/// auth, and `GET /stats` counting requests per endpoint so tests can see what the cache saved. No real registry
/// runs here; this one is a fake and named so. It needs `python3`.
package final class SchemaRegistryTestDouble {
    /// `http://127.0.0.1:<port>`.
    package let url: String
    /// Its standard input is a ``ChildProcess/Input/lifeline``: the script exits at end of stdin, so the server
    /// also goes when the tests die; this object going kills it.
    private let process: ChildProcess

    /// Starts the server on a free port; `auth` is `user:password` to require basic auth.
    package init(auth: String? = nil) async throws {
        process = try ChildProcess("python3", ["-c", Self.script, auth ?? ""], input: .lifeline, name: "registry")
        let process = self.process
        try await process.waitUntil(
            "the registry test double to print its port", within: .seconds(60), every: .milliseconds(20)
        ) {
            process.stdout.contains("\n")
        }
        url = "http://127.0.0.1:\(process.stdout.trimmingCharacters(in: .whitespacesAndNewlines))"
    }

    /// Requests served so far, by `METHOD /path`.
    package func stats() async throws -> [String: Int] {
        let data: Data = try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: URL(string: url + "/stats")!) { data, _, error in
                if let error {
                    continuation.resume(throwing: error)
                } else {
                    continuation.resume(returning: data ?? Data())
                }
            }.resume()
        }
        return try JSONDecoder().decode([String: Int].self, from: data)
    }

    private static let script = #"""
        import base64, json, os, re, sys, threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        AUTH = sys.argv[1] if len(sys.argv) > 1 else ""
        schemas, subjects, counts = [], {}, {}

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args): pass

            def reply(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def handle_any(self, method):
                if self.path == "/stats":
                    return self.reply(200, counts)
                key = method + " " + self.path
                counts[key] = counts.get(key, 0) + 1
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if AUTH and self.headers.get("Authorization") != "Basic " + base64.b64encode(AUTH.encode()).decode():
                    return self.reply(401, {"error_code": 40101, "message": "Unauthorized"})
                m = re.fullmatch(r"/subjects/([^/]+)/versions", self.path)
                if method == "POST" and m:
                    schema = body["schema"]
                    if schema not in schemas:
                        schemas.append(schema)
                    sid = schemas.index(schema) + 1
                    versions = subjects.setdefault(m.group(1), [])
                    if sid not in versions:
                        versions.append(sid)
                    return self.reply(200, {"id": sid})
                m = re.fullmatch(r"/schemas/ids/(\d+)", self.path)
                if method == "GET" and m:
                    sid = int(m.group(1))
                    if 1 <= sid <= len(schemas):
                        return self.reply(200, {"schema": schemas[sid - 1]})
                    return self.reply(404, {"error_code": 40403, "message": "Schema %d not found" % sid})
                m = re.fullmatch(r"(/compatibility)?/subjects/([^/]+)/versions/latest", self.path)
                if m:
                    versions = subjects.get(m.group(2))
                    if not versions:
                        return self.reply(404, {"error_code": 40401, "message": "Subject '%s' not found." % m.group(2)})
                    latest = schemas[versions[-1] - 1]
                    if method == "GET" and not m.group(1):
                        return self.reply(200, {"subject": m.group(2), "version": len(versions), "id": versions[-1], "schema": latest})
                    if method == "POST" and m.group(1):
                        # BACKWARD, for records: every field the new schema adds has a default.
                        old = {f["name"] for f in json.loads(latest)["fields"]}
                        new = json.loads(body["schema"])["fields"]
                        return self.reply(200, {"is_compatible": all(f["name"] in old or "default" in f for f in new)})
                self.reply(404, {"error_code": 404, "message": "no such endpoint"})

            def do_GET(self): self.handle_any("GET")
            def do_POST(self): self.handle_any("POST")

        def exit_at_end_of_stdin():
            sys.stdin.read()
            os._exit(0)

        threading.Thread(target=exit_at_end_of_stdin, daemon=True).start()
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#
}
