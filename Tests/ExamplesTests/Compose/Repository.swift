import Foundation

/// The repository's own files, read by the configuration tests: the root is found from this file's path.
enum Repository {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The repository root (this file is Tests/ExamplesTests/Compose/Repository.swift).
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()

    static func url(_ path: String) -> URL {
        root.appendingPathComponent(path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }

    static func read(_ path: String) throws -> String {
        do {
            return try String(contentsOf: url(path), encoding: .utf8)
        } catch {
            throw Failure(description: "cannot read \(path): \(error)")
        }
    }

    static func exists(_ path: String, directory: Bool = false) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url(path).path, isDirectory: &isDirectory)
            && isDirectory.boolValue == directory
    }

    /// The paths (relative to the root) of the Swift files under `folder`.
    static func swiftFiles(under folder: String) -> [String] {
        let base = url(folder)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { item in
            guard let file = item as? URL, file.pathExtension == "swift" else { return nil }
            return folder + "/" + file.path.dropFirst(base.path.count + 1)
        }.sorted()
    }

    /// Every capture of `pattern`'s first group in `text`.
    static func captures(of pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else {
            preconditionFailure("bad pattern \(pattern)")
        }
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    // MARK: - What the sources define

    /// The metric names StreamKit reports: the `static let` names of `StreamMetricName` (declared in
    /// Sources/StreamKit/Runtime/StreamMetrics.swift), wherever it or an extension of it is.
    static func metricNames() throws -> Set<String> {
        var names: Set<String> = []
        for file in swiftFiles(under: "Sources") {
            let text = try read(file)
            guard text.range(of: #"(enum|extension)\s+StreamMetricName\b"#, options: .regularExpression) != nil else {
                continue
            }
            names.formUnion(captures(of: #"static\s+let\s+\w+\s*=\s*"(streamkit_[a-z0-9_]+)""#, in: text))
        }
        return names
    }

    /// The topic names the example programs name literally: `topic("…"` (`naming.topic("bank.transactions")`),
    /// `.deadLetter("…")`, a prefix joined to a name (`raw = prefix + "orderbook.raw"`), and constants or option
    /// defaults whose name contains "topic" (`static let invalidTopic = "orderbook.invalid"`).
    /// The quick start: a one-file program for users to copy and `swift run`, not a service of the stack, so neither
    /// the image nor the topic initialiser has it.
    static let quickStart = (product: "quick-start", path: "Sources/Examples/QuickStart")

    /// The topics the example services name (the quick start's own are left out: see ``quickStart``).
    static func exampleTopicNames() throws -> Set<String> {
        let patterns = [
            #"topic\(\s*"([^"\\]+)""#,
            #"deadLetter\(\s*"([^"\\]+)""#,
            #"(?i)(?:=|\{|return)\s*\w*prefix\s*\+\s*"([^"\\]+)""#,
            #"(?i)(?:let|var)\s+\w*topic\w*\s*(?::\s*[\w.?]+\s*)?=\s*"([^"\\]+)""#,
        ]
        var names: Set<String> = []
        for file in swiftFiles(under: "Sources/Examples") where !file.hasPrefix(quickStart.path) {
            let text = try read(file)
            for pattern in patterns { names.formUnion(captures(of: pattern, in: text)) }
        }
        return names
    }

    /// Package.swift's executable products whose target lives under Sources/Examples: product → target path.
    /// A target is an `.executableTarget(name:…, path:…)` or a call of the manifest's `example("Name"…)` helper,
    /// which puts `Name` in `Sources/Examples/Name`.
    static func exampleProducts() throws -> [String: String] {
        let manifest = try read("Package.swift")
        let products = captures(of: #"\.executable\(\s*name:\s*"([^"]+)",\s*targets:\s*\["[^"]+"\]"#, in: manifest)
        let productTargets = captures(
            of: #"\.executable\(\s*name:\s*"[^"]+",\s*targets:\s*\["([^"]+)"\]"#, in: manifest)
        // Each target declaration up to the next one, so that a `path:` is matched to its own target.
        let declarations = manifest.components(separatedBy: ".executableTarget(").dropFirst().map {
            $0.components(separatedBy: ".target(")[0].components(separatedBy: ".testTarget(")[0]
        }
        var paths: [String: String] = [:]
        for declaration in declarations {
            guard let name = captures(of: #"^\s*name:\s*"([^"]+)""#, in: declaration).first else { continue }
            paths[name] = captures(of: #"path:\s*"([^"]+)""#, in: declaration).first ?? "Sources/\(name)"
        }
        if let helper = manifest.components(separatedBy: "func example(").dropFirst().first,
            helper.contains(#"path: "Sources/Examples/\(name)""#)
        {
            for name in captures(of: #"\bexample\(\s*"([^"]+)""#, in: manifest) {
                paths[name] = "Sources/Examples/\(name)"
            }
        }
        var result: [String: String] = [:]
        for (product, target) in zip(products, productTargets) {
            if let path = paths[target], path.hasPrefix("Sources/Examples/") { result[product] = path }
        }
        return result
    }

    /// The Debian packages Package.swift's system libraries name as their apt providers.
    static func aptProviders() throws -> Set<String> {
        let manifest = try read("Package.swift")
        let lists = captures(of: #"\.apt\(\[([^\]]*)\]\)"#, in: manifest)
        return Set(lists.flatMap { captures(of: #""([^"]+)""#, in: $0) })
    }
}
