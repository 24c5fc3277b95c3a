import Foundation

/// One service of a Compose file, with the short and long syntaxes of each attribute brought to one form, as
/// `docker compose config` prints them.
struct ComposeService: Sendable {
    struct Dependency: Sendable {
        var condition: String
        var isRequired: Bool
    }

    struct Build: Sendable {
        var context: String
        var dockerfile: String
    }

    struct Mount: Sendable {
        enum Kind: Sendable { case volume, bind }
        var kind: Kind
        var source: String
        var target: String
    }

    struct Port: Sendable, Hashable {
        var published: Int?
        var target: Int
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var name: String
    var image: String?
    var build: Build?
    var profiles: [String]
    var dependsOn: [String: Dependency]
    /// Network name → the aliases the service has on it.
    var networks: [String: [String]]
    var mounts: [Mount]
    var ports: [Port]
    var expose: [Int]
    var environment: [String: String]
    var command: [String]
    var entrypoint: [String]
    var healthcheck: [String]?
    var restart: String?
    var hostname: String?
    var extraHosts: [String]

    /// The service from its (interpolated) mapping in the Compose file.
    init(name: String, _ yaml: [String: Any]) throws {
        self.name = name
        image = yaml["image"] as? String
        build = try Self.build(yaml["build"], service: name)
        profiles = try Self.strings(yaml["profiles"], "profiles", service: name)
        dependsOn = try Self.dependencies(yaml["depends_on"], service: name)
        networks = try Self.networks(yaml["networks"], service: name)
        mounts = try (yaml["volumes"] as? [Any] ?? []).map { try Self.mount($0, service: name) }
        ports = try (yaml["ports"] as? [Any] ?? []).map { try Self.port($0, service: name) }
        expose = try (yaml["expose"] as? [Any] ?? []).map { try Self.portNumber(Self.scalar($0), service: name) }
        environment = try Self.keyValues(yaml["environment"], separator: "=", service: name)
        command = try Self.commandLine(yaml["command"], service: name)
        entrypoint = try Self.commandLine(yaml["entrypoint"], service: name)
        healthcheck = try (yaml["healthcheck"] as? [String: Any]).flatMap { check in
            check["disable"] as? Bool == true ? nil : try Self.healthTest(check["test"], service: name)
        }
        restart = yaml["restart"].map(Self.scalar)
        hostname = yaml["hostname"] as? String
        extraHosts = try Self.keyValues(yaml["extra_hosts"], separator: ":", service: name).keys.sorted()
    }

    /// Whether the service runs when `activeProfiles` are enabled: services without profiles always do.
    func isEnabled(with activeProfiles: Set<String>) -> Bool {
        profiles.isEmpty || !activeProfiles.isDisjoint(with: profiles)
    }

    /// The names other containers on the network reach this service by: its name, hostname and aliases.
    var dnsNames: Set<String> {
        Set([name] + (hostname.map { [$0] } ?? []) + networks.values.flatMap { $0 })
    }

    /// The container ports the service listens on, as far as the file says (`expose` and `ports`).
    var containerPorts: Set<Int> { Set(expose + ports.map(\.target)) }

    /// The value of `flag` in the command line (`["--metrics-port", "9464"]` or `--metrics-port=9464`), if given.
    func option(_ flag: String) -> String? {
        for (index, word) in command.enumerated() {
            if word == flag, index + 1 < command.count { return command[index + 1] }
            if word.hasPrefix(flag + "=") { return String(word.dropFirst(flag.count + 1)) }
        }
        return nil
    }

    // MARK: - Normalising the syntaxes

    static func scalar(_ value: Any) -> String {
        switch value {
        case let string as String: return string
        case let bool as Bool: return bool ? "true" : "false"
        case let int as Int: return String(int)
        case let double as Double: return String(double)
        default: return value is NSNull ? "" : "\(value)"
        }
    }

    private static func strings(_ value: Any?, _ attribute: String, service: String) throws -> [String] {
        guard let value else { return [] }
        guard let list = value as? [Any] else { throw Failure(description: "\(service).\(attribute) is not a list") }
        return list.map(scalar)
    }

    private static func build(_ value: Any?, service: String) throws -> Build? {
        switch value {
        case nil: return nil
        case let context as String: return Build(context: context, dockerfile: "Dockerfile")
        case let map as [String: Any]:
            return Build(
                context: (map["context"] as? String) ?? ".", dockerfile: (map["dockerfile"] as? String) ?? "Dockerfile")
        default: throw Failure(description: "\(service).build is neither a path nor a mapping")
        }
    }

    private static func dependencies(_ value: Any?, service: String) throws -> [String: Dependency] {
        switch value {
        case nil: return [:]
        case let list as [Any]:
            let started = Dependency(condition: "service_started", isRequired: true)
            return Dictionary(uniqueKeysWithValues: list.map { (scalar($0), started) })
        case let map as [String: Any]:
            return try map.mapValues { entry in
                guard let entry = entry as? [String: Any] else {
                    throw Failure(description: "\(service).depends_on entries must be mappings")
                }
                return Dependency(
                    condition: (entry["condition"] as? String) ?? "service_started",
                    isRequired: (entry["required"] as? Bool) ?? true)
            }
        default: throw Failure(description: "\(service).depends_on is neither a list nor a mapping")
        }
    }

    private static func networks(_ value: Any?, service: String) throws -> [String: [String]] {
        switch value {
        case nil: return [:]
        case let list as [Any]: return Dictionary(uniqueKeysWithValues: list.map { (scalar($0), []) })
        case let map as [String: Any]:
            return map.mapValues { entry in ((entry as? [String: Any])?["aliases"] as? [Any] ?? []).map(scalar) }
        default: throw Failure(description: "\(service).networks is neither a list nor a mapping")
        }
    }

    private static func mount(_ value: Any, service: String) throws -> Mount {
        if let map = value as? [String: Any] {
            guard let source = map["source"] as? String, let target = map["target"] as? String else {
                throw Failure(description: "\(service).volumes: a long-syntax mount needs source and target")
            }
            return Mount(kind: map["type"] as? String == "bind" ? .bind : .volume, source: source, target: target)
        }
        let parts = scalar(value).split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { throw Failure(description: "\(service).volumes: '\(value)' has no target") }
        let isPath = parts[0].hasPrefix(".") || parts[0].hasPrefix("/") || parts[0].hasPrefix("~")
        return Mount(kind: isPath ? .bind : .volume, source: parts[0], target: parts[1])
    }

    private static func port(_ value: Any, service: String) throws -> Port {
        if let map = value as? [String: Any] {
            guard let target = map["target"] else { throw Failure(description: "\(service).ports: no target") }
            return Port(
                published: try map["published"].map { try portNumber(scalar($0), service: service) },
                target: try portNumber(scalar(target), service: service))
        }
        let parts = scalar(value).split(separator: ":").map(String.init)
        let target = try portNumber(parts[parts.count - 1], service: service)
        let published = parts.count >= 2 ? try portNumber(parts[parts.count - 2], service: service) : nil
        return Port(published: published, target: target)
    }

    private static func portNumber(_ text: String, service: String) throws -> Int {
        let number = text.split(separator: "/").first.map(String.init) ?? text
        guard let port = Int(number), (1...65_535).contains(port) else {
            throw Failure(description: "\(service): '\(text)' is not a port")
        }
        return port
    }

    private static func keyValues(_ value: Any?, separator: Character, service: String) throws -> [String: String] {
        switch value {
        case nil: return [:]
        case let map as [String: Any]: return map.mapValues(scalar)
        case let list as [Any]:
            var result: [String: String] = [:]
            for entry in list.map(scalar) {
                let pieces = entry.split(separator: separator, maxSplits: 1).map(String.init)
                result[pieces[0]] = pieces.count > 1 ? pieces[1] : ""
            }
            return result
        default: throw Failure(description: "\(service): a list or mapping was expected")
        }
    }

    private static func commandLine(_ value: Any?, service: String) throws -> [String] {
        switch value {
        case nil: return []
        case let line as String: return line.split(separator: " ").map(String.init)
        case let list as [Any]: return list.map(scalar)
        default: throw Failure(description: "\(service): a command is a string or a list")
        }
    }

    private static func healthTest(_ value: Any?, service: String) throws -> [String]? {
        switch value {
        case nil: return nil
        case let line as String: return ["CMD-SHELL", line]
        case let list as [Any]: return list.map(scalar)
        default: throw Failure(description: "\(service).healthcheck.test is a string or a list")
        }
    }
}
